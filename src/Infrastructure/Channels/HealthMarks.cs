using System.Collections.Concurrent;

namespace OneInbox.Infrastructure.Channels;

/// <summary>Thins out health writes (last inbound/outbound time) to one per second per connection and kind.</summary>
internal sealed class HealthMarks
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(Guid, string), DateTimeOffset> _last = new();

    public bool ShouldRecord(Guid connectionId, string kind, DateTimeOffset now)
    {
        var key = (connectionId, kind);
        while (true)
        {
            if (!_last.TryGetValue(key, out var last))
            {
                if (_last.TryAdd(key, now))
                    return true;
                continue;
            }
            if (now - last < Interval)
                return false;
            if (_last.TryUpdate(key, now, last))
                return true;
        }
    }
}
