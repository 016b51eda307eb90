using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OneInbox.Application.Common;

/// <summary>
/// Entries by id that this node keeps until a cache signal from any node says they changed (ADR 0020), or their lifetime
/// runs out where a signal was missed. A read that began before a signal is not kept: what it read may be the old value
/// (a node reading while another commits a new secret would otherwise keep the old one for a whole lifetime).
/// </summary>
public sealed class SignalledCache<TValue>
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;
    private readonly Lock _signalled = new();
    private long _signals;

    /// <param name="signals">Null: only the lifetime and <see cref="Forget"/> forget (a store outside the host's services).</param>
    public SignalledCache(string name, TimeSpan lifetime, ICacheSignals? signals, TimeProvider clock)
    {
        _lifetime = lifetime;
        _clock = clock;
        signals?.Listen(name, Forget);
    }

    public bool TryGet(Guid id, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(id, out var entry) && entry.Expires > _clock.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Taken before reading what is to be kept, and handed to <see cref="Keep"/>.</summary>
    public long BeforeReading => Interlocked.Read(ref _signals);

    /// <summary>Keeps what was read since <paramref name="beforeReading"/>, unless a signal came meanwhile.</summary>
    /// <param name="forever">Until a signal says otherwise (an erased contact stays erased).</param>
    public void Keep(Guid id, TValue value, long beforeReading, bool forever = false)
    {
        var expires = forever ? DateTimeOffset.MaxValue : _clock.GetUtcNow() + _lifetime;
        lock (_signalled)
        {
            if (_signals != beforeReading)
                return;
            if (_entries.Count >= MaxEntries)
                _entries.Clear();
            _entries[id] = new Entry(value, expires);
        }
    }

    /// <summary>The one read, or the cached value; what is read is kept as <see cref="Keep"/> says.</summary>
    public async Task<TValue> GetOrReadAsync(Guid id, Func<Task<TValue>> read)
    {
        if (TryGet(id, out var cached))
            return cached;
        var beforeReading = BeforeReading;
        var value = await read();
        Keep(id, value, beforeReading);
        return value;
    }

    /// <summary>On this node only: the entry (every entry when null) is read again next time.</summary>
    public void Forget(Guid? id)
    {
        lock (_signalled)
        {
            Interlocked.Increment(ref _signals);
            if (id is { } changed)
                _entries.TryRemove(changed, out _);
            else
                _entries.Clear();
        }
    }

    private sealed record Entry(TValue Value, DateTimeOffset Expires);
}
