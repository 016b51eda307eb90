namespace OneInbox.Infrastructure.Channels;

/// <summary>Exponential backoff with jitter, so rows failing together do not retry together.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attemptsSoFar, TimeSpan first, TimeSpan max)
    {
        var exponent = Math.Min(attemptsSoFar, 20);
        var baseMs = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = baseMs * (0.75 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, jittered));
    }

    /// <summary>A short summary of a failure for operators: the type and message, never a payload.</summary>
    public static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";
}
