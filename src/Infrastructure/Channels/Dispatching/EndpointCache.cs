using System.Collections.Concurrent;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// A connection's decrypted endpoint, kept for a few seconds so the dispatcher does not read and decrypt the
/// connection for every message; a replaced token or URL takes effect within <see cref="Lifetime"/>.
/// </summary>
internal sealed class EndpointCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = ChannelEndpoint.CacheLifetime;

    private readonly ConcurrentDictionary<Guid, (ChannelType Type, ChannelEndpoint Endpoint, DateTimeOffset Expires)> _entries = new();

    public async ValueTask<(ChannelType Type, ChannelEndpoint Endpoint)?> GetAsync(Guid connectionId, Func<Task<ChannelConnection?>> load)
    {
        if (_entries.TryGetValue(connectionId, out var entry) && entry.Expires > clock.GetUtcNow())
            return (entry.Type, entry.Endpoint);
        var connection = await load();
        if (connection is null)
        {
            _entries.TryRemove(connectionId, out _);
            return null;
        }
        var endpoint = connection.ToEndpoint();
        _entries[connectionId] = (connection.Type, endpoint, clock.GetUtcNow() + Lifetime);
        return (connection.Type, endpoint);
    }
}
