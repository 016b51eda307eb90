using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace OneInbox.Application.Common;

/// <summary>
/// Tells every node's caches that something they may hold changed, so each forgets its copy at once instead of when
/// its lifetime runs out: a rotated webhook secret or bot token, a flow published or retracted, an erased contact's key.
/// On one node the signal stays in the process; with Redis (several nodes) it also reaches the others (ADR 0020).
/// Reaching other nodes is best effort, so every cache keeps a lifetime that bounds how long a lost signal can leave it
/// stale, and a node that lost its Redis connection forgets everything when it is back.
/// </summary>
public interface ICacheSignals
{
    /// <summary>Entry <paramref name="key"/> of <paramref name="cache"/> changed: forgotten here before this returns, on the other nodes moments later.</summary>
    void Changed(string cache, Guid key);

    /// <summary><paramref name="forget"/> hears every change of <paramref name="cache"/>: its key, or null when changes may have been missed.</summary>
    void Listen(string cache, Action<Guid?> forget);
}

/// <summary>The caches that listen, by name (the names travel between nodes).</summary>
public static class CachedData
{
    /// <summary>A connection's secrets, credentials and addresses, keyed by connection.</summary>
    public const string ChannelConnections = "connections";

    /// <summary>A workspace's published flow triggers, keyed by workspace.</summary>
    public const string FlowTriggers = "flow-triggers";

    /// <summary>A contact's data key, keyed by contact.</summary>
    public const string ContactKeys = "contact-keys";
}

/// <summary>The signals of one process: all a single node needs.</summary>
public class LocalCacheSignals : ICacheSignals
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<Guid?>>> _listeners = new(StringComparer.Ordinal);

    public virtual void Changed(string cache, Guid key) => Tell(cache, key);

    public void Listen(string cache, Action<Guid?> forget) =>
        _listeners.AddOrUpdate(cache, [forget], (_, listeners) => listeners.Add(forget));

    /// <summary>This node's listeners of <paramref name="cache"/> forget <paramref name="key"/> (everything when null).</summary>
    protected void Tell(string cache, Guid? key)
    {
        if (_listeners.TryGetValue(cache, out var listeners))
        {
            foreach (var forget in listeners)
                forget(key);
        }
    }

    /// <summary>Every cache of this node forgets everything.</summary>
    protected void TellAll()
    {
        foreach (var cache in _listeners.Keys)
            Tell(cache, null);
    }
}
