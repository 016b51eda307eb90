using Microsoft.Extensions.Logging.Abstractions;
using OneInbox.Application.Common;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// Two nodes' cache signals over the real Redis (ADR 0020). Across three server processes they are proven by
/// <see cref="ClusterTests"/> (a flow retracted on one node stops greeting on the others at once).
/// </summary>
public sealed class CacheSignalsTests : IAsyncLifetime
{
    private readonly RedisCacheSignals _a = new(TestRedis.ConnectionString, NullLogger<RedisCacheSignals>.Instance);
    private readonly RedisCacheSignals _b = new(TestRedis.ConnectionString, NullLogger<RedisCacheSignals>.Instance);
    private readonly string _cache = $"test-{Guid.NewGuid():N}";

    public Task InitializeAsync() => Task.WhenAll(_a.StartAsync(CancellationToken.None), _b.StartAsync(CancellationToken.None));

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_change_on_one_node_is_forgotten_there_at_once_and_on_the_other_node_moments_later_and_nothing_else_is()
    {
        var onA = Cache(_a);
        var onB = Cache(_b);
        var (changed, kept) = (Guid.NewGuid(), Guid.NewGuid());
        onA.Keep(changed, "old secret", onA.BeforeReading);
        onB.Keep(changed, "old secret", onB.BeforeReading);
        onB.Keep(kept, "another connection", onB.BeforeReading);
        var otherCache = Cache(_b, $"{_cache}-other");
        otherCache.Keep(changed, "same id, another cache", otherCache.BeforeReading);

        _a.Changed(_cache, changed);

        Assert.False(onA.TryGet(changed, out _));
        await ForgottenAsync(onB, changed);
        Assert.True(onB.TryGet(kept, out var value));
        Assert.Equal("another connection", value);
        Assert.True(otherCache.TryGet(changed, out _));
    }

    [Fact]
    public async Task A_read_that_began_before_another_node_changed_the_entry_is_not_kept()
    {
        var onB = Cache(_b);
        var id = Guid.NewGuid();
        onB.Keep(id, "old secret", onB.BeforeReading);

        // Node B starts reading, node A commits a new secret and signals, B's read returns what it read before the commit.
        var beforeReading = onB.BeforeReading;
        _a.Changed(_cache, id);
        await ForgottenAsync(onB, id);
        onB.Keep(id, "old secret, read before the change", beforeReading);

        Assert.False(onB.TryGet(id, out _));
        onB.Keep(id, "new secret", onB.BeforeReading);
        Assert.True(onB.TryGet(id, out var value));
        Assert.Equal("new secret", value);
    }

    private SignalledCache<string> Cache(ICacheSignals signals, string? name = null) =>
        new(name ?? _cache, TimeSpan.FromHours(1), signals, TimeProvider.System);

    private static async Task ForgottenAsync(SignalledCache<string> cache, Guid id)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (cache.TryGet(id, out _))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the other node to hear the change within 10 s");
            await Task.Delay(20);
        }
    }
}
