using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// A connection's decrypted endpoint, kept for a few seconds so the dispatcher does not read and decrypt the
/// connection for every message. A replaced token or URL is forgotten on every node when the connection is saved
/// (<see cref="InboundAuthCache.Forget"/>), and within <see cref="Lifetime"/> where that signal was missed.
/// </summary>
internal sealed class EndpointCache(TimeProvider clock, ICacheSignals signals)
{
    public static readonly TimeSpan Lifetime = ChannelEndpoint.CacheLifetime;

    private readonly SignalledCache<(ChannelType Type, ChannelEndpoint Endpoint)?> _connections = new(CachedData.ChannelConnections, Lifetime, signals, clock);

    /// <returns>Null when the connection is gone.</returns>
    public async ValueTask<(ChannelType Type, ChannelEndpoint Endpoint)?> GetAsync(Guid connectionId, Func<Task<ChannelConnection?>> load) =>
        await _connections.GetOrReadAsync(connectionId, async () => await load() is { } connection ? (connection.Type, connection.ToEndpoint()) : null);
}
