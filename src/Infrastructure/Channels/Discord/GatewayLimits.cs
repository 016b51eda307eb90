namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// The Identify budget of a bot (channels.md §3.2): <c>session_start_limit.remaining</c> Identifies until
/// <c>reset_after</c> (running out resets the token, so we wait instead), and at most <c>max_concurrency</c>
/// Identifies per 5 s. Resumes are not counted. Time comes from the caller so the rules can be tested.
/// </summary>
internal sealed class IdentifyBudget
{
    private static readonly TimeSpan ConcurrencyWindow = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _recent = new();
    private int _remaining = 1;
    private int _maxConcurrency = 1;
    private DateTimeOffset _resetAt = DateTimeOffset.MinValue;

    /// <summary>What <c>GET /gateway/bot</c> said, read at <paramref name="now"/>.</summary>
    public void Update(int remaining, TimeSpan resetAfter, int maxConcurrency, DateTimeOffset now)
    {
        lock (_gate)
        {
            _remaining = remaining;
            _resetAt = now + resetAfter;
            _maxConcurrency = Math.Max(1, maxConcurrency);
        }
    }

    /// <summary>Takes one Identify, or says how long to wait before asking again.</summary>
    public TimeSpan TryTake(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_remaining <= 0 && now < _resetAt)
                return _resetAt - now;
            while (_recent.Count > 0 && now - _recent.Peek() >= ConcurrencyWindow)
                _recent.Dequeue();
            if (_recent.Count >= _maxConcurrency)
                return _recent.Peek() + ConcurrencyWindow - now;
            _recent.Enqueue(now);
            if (_remaining > 0)
                _remaining--;
            return TimeSpan.Zero;
        }
    }
}

/// <summary>
/// Discord disconnects a connection that sends more than 120 events in 60 s. A sliding window per connection,
/// with a few sends kept back for heartbeats so a burst of other frames can never starve the keep-alive.
/// </summary>
internal sealed class GatewaySendLimit
{
    public const int PerMinute = 120;
    private const int HeartbeatReserve = 5;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _sent = new();

    /// <summary>Counts one send, or says how long to wait first.</summary>
    public TimeSpan TryTake(DateTimeOffset now, bool heartbeat)
    {
        lock (_gate)
        {
            while (_sent.Count > 0 && now - _sent.Peek() >= Window)
                _sent.Dequeue();
            var limit = heartbeat ? PerMinute : PerMinute - HeartbeatReserve;
            if (_sent.Count >= limit)
                return _sent.ElementAt(_sent.Count - limit) + Window - now;
            _sent.Enqueue(now);
            return TimeSpan.Zero;
        }
    }
}
