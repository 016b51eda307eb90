using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// One bot's HTTP rate limits on this node (channels.md §3.6), learned from the headers and never hard-coded:
/// routes map to the bucket Discord names in <c>X-RateLimit-Bucket</c>; a bucket is counted per top-level
/// resource (the channel id), so two channels never hold each other up; a global 429 pauses every route.
/// Requests on one route and resource go one at a time, which also covers "one request in flight until the
/// bucket is known". Time comes from the caller so the rules can be tested.
/// </summary>
internal sealed class DiscordRateLimits
{
    /// <summary>Discord's global cap per bot; interaction callbacks are not counted.</summary>
    public const int GlobalPerSecond = 50;

    private readonly ConcurrentDictionary<string, string> _bucketOfRoute = new();
    private readonly ConcurrentDictionary<string, BucketState> _buckets = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _lanes = new();
    private readonly Lock _globalGate = new();
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private DateTimeOffset _globalPausedUntil = DateTimeOffset.MinValue;

    /// <summary>The lane requests of one route and resource wait in, one at a time.</summary>
    public SemaphoreSlim Lane(string route, string resource) => _lanes.GetOrAdd(route + "|" + resource, _ => new SemaphoreSlim(1, 1));

    /// <summary>How long to wait before sending on this route and resource (zero: go, and the send is counted).</summary>
    public TimeSpan DelayBefore(string route, string resource, DateTimeOffset now, bool countsGlobally = true)
    {
        lock (_globalGate)
        {
            if (now < _globalPausedUntil)
                return _globalPausedUntil - now;
        }
        var key = BucketKey(route, resource);
        if (key is not null && _buckets.TryGetValue(key, out var bucket))
        {
            lock (bucket)
            {
                if (bucket.Remaining <= 0 && now < bucket.ResetAt)
                    return bucket.ResetAt - now;
                if (now >= bucket.ResetAt)
                    bucket.Remaining = bucket.Limit;
            }
        }
        if (countsGlobally)
        {
            lock (_globalGate)
            {
                while (_globalWindow.Count > 0 && now - _globalWindow.Peek() >= TimeSpan.FromSeconds(1))
                    _globalWindow.Dequeue();
                if (_globalWindow.Count >= GlobalPerSecond)
                    return _globalWindow.Peek() + TimeSpan.FromSeconds(1) - now;
                _globalWindow.Enqueue(now);
            }
        }
        if (key is not null && _buckets.TryGetValue(key, out bucket))
        {
            lock (bucket)
                bucket.Remaining--;
        }
        return TimeSpan.Zero;
    }

    /// <summary>Learns from a response's rate-limit headers (and, for a 429, its retry_after).</summary>
    public void Observe(string route, string resource, HttpResponseHeaders headers, int status, double? retryAfterSeconds, bool global, DateTimeOffset now)
    {
        var retryAfter = TimeSpan.FromSeconds(retryAfterSeconds ?? Number(headers, "Retry-After") ?? 1);
        if (status == 429 && (global || Text(headers, "X-RateLimit-Global") == "true"))
        {
            lock (_globalGate)
            {
                var until = now + retryAfter;
                if (until > _globalPausedUntil)
                    _globalPausedUntil = until;
            }
            return;
        }
        var bucketId = Text(headers, "X-RateLimit-Bucket");
        if (bucketId is not null)
            _bucketOfRoute[route] = bucketId;
        var key = BucketKey(route, resource);
        if (key is null)
            return;
        var bucket = _buckets.GetOrAdd(key, _ => new BucketState());
        lock (bucket)
        {
            if (Number(headers, "X-RateLimit-Limit") is { } limit)
                bucket.Limit = (int)limit;
            if (Number(headers, "X-RateLimit-Remaining") is { } remaining)
                bucket.Remaining = (int)remaining;
            if (Number(headers, "X-RateLimit-Reset-After") is { } resetAfter)
                bucket.ResetAt = now + TimeSpan.FromSeconds(resetAfter);
            if (status == 429)
            {
                bucket.Remaining = 0;
                bucket.ResetAt = now + retryAfter;
            }
        }
    }

    private string? BucketKey(string route, string resource) =>
        _bucketOfRoute.TryGetValue(route, out var bucket) ? bucket + "|" + resource : null;

    private static string? Text(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? Number(HttpResponseHeaders headers, string name) =>
        Text(headers, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private sealed class BucketState
    {
        public int Limit { get; set; } = 1;

        public int Remaining { get; set; } = 1;

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;
    }
}
