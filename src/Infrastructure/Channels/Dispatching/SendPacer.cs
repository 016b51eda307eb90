using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// Keeps this node under a provider's limits before it is told off: a token bucket per bot (Telegram: about
/// 30 messages/s) and one message per interval per chat, plus a pause per bot after a 429 told us to wait.
/// The limits are per node; the provider's 429 (honoured through retry_after) covers the rest.
/// </summary>
internal sealed class SendPacer(TimeProvider clock) : IDisposable
{
    private const int MaxTrackedChats = 50_000;

    private readonly ConcurrentDictionary<Guid, TokenBucketRateLimiter> _bots = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pausedUntil = new();
    private readonly Dictionary<(Guid, string), DateTimeOffset> _chatSlots = [];
    private readonly Lock _chatLock = new();

    public async ValueTask WaitAsync(Guid connectionId, string chat, double perSecond, TimeSpan chatInterval, CancellationToken cancellationToken)
    {
        if (_pausedUntil.TryGetValue(connectionId, out var paused) && paused - clock.GetUtcNow() is { Ticks: > 0 } pause)
            await Task.Delay(pause, clock, cancellationToken);

        var chatWait = ReserveChatSlot(connectionId, chat, chatInterval);
        if (chatWait > TimeSpan.Zero)
            await Task.Delay(chatWait, clock, cancellationToken);

        var bucket = _bots.GetOrAdd(connectionId, _ => Smooth(perSecond));
        using var lease = await bucket.AcquireAsync(1, cancellationToken);
    }

    /// <summary>
    /// The bot's rate in tenths of a second rather than one burst per second: 30/s is 3 every 100 ms. Bursts are
    /// what providers throttle first, and fewer sends in flight at once also means fewer sends a crash can cut short.
    /// </summary>
    internal static TokenBucketRateLimiter Smooth(double perSecond)
    {
        var (tokens, period) = perSecond >= 10
            ? (Math.Max(1, (int)Math.Round(perSecond / 10)), TimeSpan.FromMilliseconds(100))
            : (1, TimeSpan.FromSeconds(1 / Math.Max(perSecond, 0.01)));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public void Pause(Guid connectionId, TimeSpan retryAfter)
    {
        var until = clock.GetUtcNow() + retryAfter;
        _pausedUntil.AddOrUpdate(connectionId, until, (_, current) => current > until ? current : until);
    }

    private TimeSpan ReserveChatSlot(Guid connectionId, string chat, TimeSpan interval)
    {
        var now = clock.GetUtcNow();
        lock (_chatLock)
        {
            if (_chatSlots.Count > MaxTrackedChats)
            {
                foreach (var stale in _chatSlots.Where(s => s.Value < now).Select(s => s.Key).ToList())
                    _chatSlots.Remove(stale);
            }
            var slot = _chatSlots.TryGetValue((connectionId, chat), out var next) && next > now ? next : now;
            _chatSlots[(connectionId, chat)] = slot + interval;
            return slot - now;
        }
    }

    public void Dispose()
    {
        foreach (var bucket in _bots.Values)
            bucket.Dispose();
    }
}
