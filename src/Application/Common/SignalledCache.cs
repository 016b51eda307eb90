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
    private long _signals;
    // Entries kept so far: the size bound is checked every MaxEntries keeps (counting the dictionary takes all its locks).
    private long _kept;

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
        if (Interlocked.Read(ref _signals) != beforeReading)
            return;
        if (Interlocked.Increment(ref _kept) % MaxEntries == 0 && _entries.Count >= MaxEntries)
            _entries.Clear();
        var entry = new Entry(value, forever ? DateTimeOffset.MaxValue : _clock.GetUtcNow() + _lifetime);
        _entries[id] = entry;
        // No lock: Forget counts the signal before it removes. A signal counted after the check above is seen here
        // (and the entry taken back); one counted after this read removes the entry itself.
        if (Interlocked.Read(ref _signals) != beforeReading)
            _entries.TryRemove(new KeyValuePair<Guid, Entry>(id, entry));
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
        Interlocked.Increment(ref _signals);
        if (id is { } changed)
            _entries.TryRemove(changed, out _);
        else
            _entries.Clear();
    }

    private sealed record Entry(TValue Value, DateTimeOffset Expires);
}
