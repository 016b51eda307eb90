using Npgsql;

namespace OneInbox.Infrastructure.Channels.Inbound;

/// <summary>
/// Back-pressure for bursts. A provider delivers a burst as a closed loop: each webhook call in flight is followed by
/// the next as soon as it is answered (Telegram keeps up to 40-100 in flight). Answered at once, a burst is
/// acknowledged far faster than it can be processed, and the acknowledgements take the processor time the answers
/// need. So while more envelopes wait to be processed (on any node: the count is the database's) than
/// <see cref="ChannelOptions.InboundBacklogLimit"/>, a webhook that stored its delivery holds its answer until there is
/// room again, or at most <see cref="ChannelOptions.InboundHoldLimit"/>. The delivery is durable before the hold;
/// the provider only sends its next one later, which is the pace the providers honour.
/// The count is read by one caller at a time and shared by all: at most once per <see cref="Refresh"/> near the limit,
/// once per <see cref="CalmRefresh"/> while it is less than half the limit.
/// The embedded SQLite setup (one node, no data source) does not hold.
/// </summary>
public sealed class InboundBacklog
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Far from the limit nothing holds, and the count (2 ms of PostgreSQL a read during a burst, 8 % of its time at 20
    /// reads a second) is read less often. This node's own deliveries are counted at once; other nodes' may take the
    /// backlog past half the limit unseen for this long, which the other half leaves room for.
    /// </summary>
    private static readonly TimeSpan CalmRefresh = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Counted up to one past the limit: whether the backlog is over it is all a hold needs, and a full count read every
    /// pending envelope (and the index entries of those processed since the last vacuum) 20 times a second during a burst.
    /// </summary>
    private const string PendingSql = """
        SELECT count(*) FROM (SELECT 1 FROM "InboundEnvelopes" WHERE "Status" = 0 AND "NextAttemptAt" <= now() LIMIT $1) AS pending
        """;

    private readonly NpgsqlDataSource? _data;
    private readonly int _limit;
    private readonly TimeSpan _holdLimit;
    private readonly TimeProvider _clock;
    private int _reading; // 1 while one caller reads the count
    private long _pending;
    private long _readAt; // a timestamp; 0 until the first read

    internal InboundBacklog(NpgsqlDataSource? data, ChannelOptions options, TimeProvider clock)
    {
        _data = data;
        _limit = options.InboundBacklogLimit;
        _holdLimit = options.InboundHoldLimit;
        _clock = clock;
    }

    /// <summary>
    /// For deliveries just stored (added envelopes): returns once the backlog is within the limit, or the hold limit has
    /// passed (then the caller answers anyway).
    /// </summary>
    public async ValueTask WaitForRoomAsync(int added, CancellationToken cancellationToken)
    {
        if (_data is null || _limit <= 0)
            return;
        // The caller's deliveries joined the backlog: counted here at once, so a quick series between two reads is counted too.
        Interlocked.Add(ref _pending, added);
        var started = _clock.GetTimestamp();
        while (await PendingAsync(cancellationToken) > _limit && _clock.GetElapsedTime(started) < _holdLimit)
            await Task.Delay(Refresh, _clock, cancellationToken);
    }

    private async ValueTask<long> PendingAsync(CancellationToken cancellationToken)
    {
        var readAt = Interlocked.Read(ref _readAt);
        var refresh = Interlocked.Read(ref _pending) * 2 < _limit ? CalmRefresh : Refresh;
        if ((readAt != 0 && _clock.GetElapsedTime(readAt) < refresh) || Interlocked.CompareExchange(ref _reading, 1, 0) != 0)
            return Interlocked.Read(ref _pending);
        try
        {
            await using var command = _data!.CreateCommand(PendingSql);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _limit + 1 });
            Interlocked.Exchange(ref _pending, (long)(await command.ExecuteScalarAsync(cancellationToken))!);
            Interlocked.Exchange(ref _readAt, _clock.GetTimestamp());
            return Interlocked.Read(ref _pending);
        }
        catch (NpgsqlException)
        {
            // Only the pace depends on the count: a database that cannot give it must not fail a delivery already stored.
            Interlocked.Exchange(ref _pending, 0);
            Interlocked.Exchange(ref _readAt, _clock.GetTimestamp());
            return 0;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }
}
