using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.WebApi.Hubs;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// Which groups an inbox event is published to. Across nodes it is proven by <see cref="ClusterTests"/> (real Redis,
/// three processes); here, what a node decides from what it holds and what it heard.
/// </summary>
public sealed class HubListenersTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task One_node_publishes_to_a_group_while_a_connection_of_its_own_is_in_it()
    {
        using var listeners = Listeners(redis: null);

        Assert.False(listeners.AnyoneListens("workspace:a"));
        await listeners.JoinAsync(["workspace:a", "workspace:a:member:1"]);
        await listeners.JoinAsync(["workspace:a"]);
        Assert.True(listeners.AnyoneListens("workspace:a"));
        Assert.True(listeners.AnyoneListens("workspace:a:member:1"));
        Assert.False(listeners.AnyoneListens("workspace:b"));

        listeners.Leave(["workspace:a", "workspace:a:member:1"]);
        Assert.True(listeners.AnyoneListens("workspace:a"));
        Assert.False(listeners.AnyoneListens("workspace:a:member:1"));
        listeners.Leave(["workspace:a"]);
        Assert.False(listeners.AnyoneListens("workspace:a"));
    }

    [Fact]
    public void With_several_nodes_it_publishes_everything_until_it_is_sure_then_what_others_mentioned_within_a_minute()
    {
        using var listeners = Listeners(redis: "127.0.0.1:1");

        Assert.True(listeners.AnyoneListens("workspace:b"));
        listeners.Heard("workspace:a\nworkspace:a:member:1");
        listeners.Trust();
        Assert.True(listeners.AnyoneListens("workspace:a"));
        Assert.True(listeners.AnyoneListens("workspace:a:member:1"));
        Assert.False(listeners.AnyoneListens("workspace:b"));

        _clock.Advance(HubListeners.Lifetime - TimeSpan.FromSeconds(1));
        listeners.Heard("workspace:a");
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(listeners.AnyoneListens("workspace:a"));
        Assert.False(listeners.AnyoneListens("workspace:a:member:1"));
    }

    [Fact]
    public async Task A_join_returns_once_every_other_node_has_taken_the_group_in()
    {
        using var a = Listeners(TestRedis.ConnectionString, TimeProvider.System);
        using var b = Listeners(TestRedis.ConnectionString, TimeProvider.System);
        await Task.WhenAll(a.StartAsync(CancellationToken.None), b.StartAsync(CancellationToken.None));
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (a.AnyoneListens("workspace:nobody") || b.AnyoneListens("workspace:nobody"))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "both nodes to be sure of what they heard");
            await Task.Delay(50);
        }

        // Redis answering the PUBLISH is not enough: the other node must already publish to the group the moment the
        // join returns, every time, or the first events of a new agent are lost on a busy machine.
        for (var i = 0; i < 50; i++)
        {
            var group = $"workspace:{Guid.NewGuid():N}";
            var joining = i % 2 == 0 ? a : b;
            var other = joining == a ? b : a;
            await joining.JoinAsync([group]);
            Assert.True(other.AnyoneListens(group), $"join {i}: the other node heard of {group}");
        }
        await Task.WhenAll(a.StopAsync(CancellationToken.None), b.StopAsync(CancellationToken.None));
    }

    private HubListeners Listeners(string? redis) => Listeners(redis, _clock);

    private static HubListeners Listeners(string? redis, TimeProvider clock)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new HubListeners(configuration, clock, NullLogger<HubListeners>.Instance);
    }
}
