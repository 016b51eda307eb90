using OneInbox.Application.Common;
using StackExchange.Redis;

namespace OneInbox.WebApi.Infrastructure;

/// <summary>
/// Cache signals between nodes over Redis pub/sub (ADR 0020): a change is forgotten on this node at once and published for
/// the others, which forget it as they hear it. Pub/sub keeps nothing for a node that is not listening, so a node that
/// lost its connection forgets everything when it is back; until then its caches' lifetimes bound what it may miss.
/// </summary>
public sealed partial class RedisCacheSignals(string configuration, ILogger<RedisCacheSignals> logger) : LocalCacheSignals, IHostedService, IAsyncDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("oneinbox:caches");
    private const char Separator = ' ';

    private readonly string _node = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _connection;

    public override void Changed(string cache, Guid key)
    {
        base.Changed(cache, key);
        if (_connection is not { } connection)
            return;
        try
        {
            connection.GetSubscriber().Publish(Channel, $"{_node}{Separator}{cache}{Separator}{key:N}", CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            LogUnpublished(cache, ex.GetType().Name);
        }
    }

    /// <summary>What another node published; this node's own signals come back too and are already told.</summary>
    internal void Heard(string message)
    {
        var parts = message.Split(Separator);
        if (parts.Length == 3 && parts[0] != _node && Guid.TryParseExact(parts[2], "N", out var key))
            Tell(parts[1], key);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // A node starts whether or not Redis answers; it connects when Redis does and forgets everything then.
        options.AbortOnConnectFail = false;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        connection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
                TellAll();
        };
        connection.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
                LogDisconnected(e.FailureType.ToString());
        };
        _connection = connection;
        try
        {
            await connection.GetSubscriber().SubscribeAsync(Channel, (_, message) => Heard(message.ToString()));
        }
        catch (RedisException ex)
        {
            // The multiplexer keeps the subscription and makes it when Redis answers.
            LogDisconnected(ex.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
            await connection.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not take a change of cache {Cache} ({ExceptionType}); other nodes forget it when its lifetime ends")]
    private partial void LogUnpublished(string cache, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache signals lost Redis ({FailureType}); this node forgets every cached entry when it is back")]
    private partial void LogDisconnected(string failureType);
}
