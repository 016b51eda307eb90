using System.Collections.Concurrent;
using StackExchange.Redis;

namespace OneInbox.WebApi.Hubs;

/// <summary>
/// Which hub groups have a connection on some node, so that an inbox event nobody can hear is not published. On one
/// node that is its own connections. With the Redis backplane every event went to Redis, and to every node's
/// subscription to it, whether or not an agent of the workspace was online: 6-8 events per conversation, a bot-only
/// workspace's included (ADR 0017). Nodes now tell each other which groups they hold: when a connection joins (before
/// it joins the backplane's group, so no event it could have heard is skipped), every 20 s, and at once when a node
/// starts and asks. A group nobody mentioned for 60 s is silent. Whenever this node is not sure (Redis unreachable,
/// or just started and still hearing the answers), it publishes everything, as before.
/// <para>
/// A join waits until every other node has confirmed it. Redis answering the PUBLISH only means the announcement is on
/// its way: on a busy machine a node can take a webhook, store it and skip its event before the announcement reaches
/// it, and the agent who just connected never hears of that message. Each node answers a join with "!" and its tag
/// once it has taken the groups in; the joining node waits for as many answers as Redis delivered the join to other
/// nodes, at most 5 s (a node that hangs longer hears of the group by the next heartbeat).
/// </para>
/// </summary>
public sealed partial class HubListeners(IConfiguration configuration, TimeProvider clock, ILogger<HubListeners> logger) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("oneinbox:listeners");
    private const string RollCall = "?";
    private const char JoinTag = '#';
    private const char Confirmation = '!';
    private const int GroupsPerMessage = 500;
    internal static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);
    internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AnswersWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConfirmationWait = TimeSpan.FromSeconds(5);

    private readonly string? _redis = configuration.GetConnectionString("Redis") is { Length: > 0 } redis ? redis : null;
    private readonly ConcurrentDictionary<string, int> _local = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _remote = new();
    private readonly ConcurrentDictionary<string, PendingJoin> _joins = new();
    private ConnectionMultiplexer? _connection;
    private volatile bool _sure;

    /// <summary>False only when no connection of this node, and none any other node mentioned lately, is in the group.</summary>
    public bool AnyoneListens(string group)
    {
        if (_local.TryGetValue(group, out var count) && count > 0)
            return true;
        if (_redis is null)
            return false;
        return !_sure || (_remote.TryGetValue(group, out var until) && until > clock.GetUtcNow());
    }

    /// <summary>A connection of this node joins the groups: the other nodes have taken them in before this returns.</summary>
    public async Task JoinAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken = default)
    {
        foreach (var group in groups)
            _local.AddOrUpdate(group, 1, (_, count) => count + 1);
        if (_connection is not { IsConnected: true } connection)
            return;

        var tag = Guid.NewGuid().ToString("N");
        var join = _joins[tag] = new PendingJoin();
        try
        {
            // Redis counts this node's own subscription among the receivers; it does not confirm its own joins.
            var receivers = await connection.GetSubscriber().PublishAsync(Channel, $"{JoinTag}{tag}\n{string.Join('\n', groups)}");
            join.Expect(receivers - 1);
            await join.Confirmed.WaitAsync(ConfirmationWait, clock, cancellationToken);
        }
        catch (RedisException ex)
        {
            _sure = false;
            LogUnavailable(ex.GetType().Name);
        }
        catch (TimeoutException)
        {
            LogUnconfirmed(join.Confirmations, join.Expected, ConfirmationWait.TotalSeconds);
        }
        finally
        {
            _joins.TryRemove(tag, out _);
        }
    }

    public void Leave(IReadOnlyList<string> groups)
    {
        foreach (var group in groups)
        {
            _local.AddOrUpdate(group, 0, (_, count) => Math.Max(0, count - 1));
            _local.TryRemove(KeyValuePair.Create(group, 0)); // only if nobody joined again meanwhile
        }
    }

    /// <summary>What another node said: the groups it holds or a connection joined (confirmed here), a confirmation of this node's join, or a new node's question.</summary>
    internal void Heard(string message)
    {
        if (message.Length == 0)
            return;
        if (message == RollCall)
        {
            if (_connection is { } connection)
                _ = AnnounceAsync(connection, HeldGroups());
            return;
        }
        if (message[0] == Confirmation)
        {
            if (_joins.TryGetValue(message[1..], out var join))
                join.Confirm();
            return;
        }
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var tag = lines[0][0] == JoinTag ? lines[0][1..] : null;
        var until = clock.GetUtcNow() + Lifetime;
        foreach (var group in tag is null ? lines : lines[1..])
            _remote[group] = until;
        if (tag is not null && !_joins.ContainsKey(tag) && _connection is { } confirming)
            _ = ConfirmAsync(confirming, tag);
    }

    /// <summary>Trusts what it heard only once it has asked every node and given them time to answer.</summary>
    internal void Trust() => _sure = true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_redis is null)
            return;
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(_redis);
            connection.ConnectionFailed += (_, _) => _sure = false;
            connection.ConnectionRestored += (_, _) => _ = RejoinAsync(stoppingToken);
            await connection.GetSubscriber().SubscribeAsync(Channel, (_, message) => Heard(message.ToString()));
            // Only once subscribed: a join counts this node among the receivers of its own announcement.
            _connection = connection;
            await RejoinAsync(stoppingToken);
        }
        catch (RedisException ex)
        {
            LogUnavailable(ex.GetType().Name);
            return;
        }

        using var timer = new PeriodicTimer(Heartbeat, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!_sure)
                await RejoinAsync(stoppingToken);
            else
                await AnnounceAsync(_connection, HeldGroups());
            var now = clock.GetUtcNow();
            foreach (var (group, until) in _remote)
            {
                if (until <= now)
                    _remote.TryRemove(group, out _);
            }
        }
    }

    public override void Dispose()
    {
        _connection?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// After connecting (or reconnecting): says which groups this node holds (connections that arrived while Redis was
    /// out of reach were not announced), asks the others, and trusts what it heard once they had time to answer.
    /// </summary>
    private async Task RejoinAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await AnnounceAsync(_connection!, HeldGroups()))
                return;
            await _connection!.GetSubscriber().PublishAsync(Channel, RollCall);
            await Task.Delay(AnswersWait, clock, cancellationToken);
            Trust();
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException)
        {
            // Not sure yet: everything is published until the next successful question.
        }
    }

    private List<string> HeldGroups() => _local.Where(g => g.Value > 0).Select(g => g.Key).ToList();

    /// <summary>False when Redis did not take it: this node then asks again at the next heartbeat.</summary>
    private async Task<bool> AnnounceAsync(ConnectionMultiplexer connection, IReadOnlyList<string> groups)
    {
        try
        {
            foreach (var chunk in groups.Chunk(GroupsPerMessage))
                await connection.GetSubscriber().PublishAsync(Channel, string.Join('\n', chunk));
            return true;
        }
        catch (RedisException ex)
        {
            _sure = false;
            LogUnavailable(ex.GetType().Name);
            return false;
        }
    }

    private async Task ConfirmAsync(ConnectionMultiplexer connection, string tag)
    {
        try
        {
            await connection.GetSubscriber().PublishAsync(Channel, $"{Confirmation}{tag}");
        }
        catch (RedisException ex)
        {
            LogUnavailable(ex.GetType().Name);
        }
    }

    /// <summary>A join's confirmations, which may arrive before Redis has said how many nodes it reached.</summary>
    private sealed class PendingJoin
    {
        private int _confirmations;
        private long _expected = long.MaxValue;
        private readonly TaskCompletionSource _confirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Confirmed => _confirmed.Task;
        public int Confirmations => Volatile.Read(ref _confirmations);
        public long Expected => Interlocked.Read(ref _expected);

        public void Confirm()
        {
            Interlocked.Increment(ref _confirmations);
            Check();
        }

        public void Expect(long confirmations)
        {
            Interlocked.Exchange(ref _expected, confirmations);
            Check();
        }

        private void Check()
        {
            if (Confirmations >= Expected)
                _confirmed.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Confirmations} of {Expected} nodes confirmed a hub connection within {Seconds} s; the others hear of it by their next heartbeat")]
    private partial void LogUnconfirmed(int confirmations, long expected, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not take the hub listener announcements ({ExceptionType}); every inbox event is published until it does")]
    private partial void LogUnavailable(string exceptionType);
}
