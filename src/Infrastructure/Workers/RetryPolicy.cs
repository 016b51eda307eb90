namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// What becomes of a row whose attempt failed in a way that may pass (a network error, a provider's 5xx, an
/// exception while mapping): it is tried again later, each time waiting about twice as long, with jitter so
/// rows failing together do not retry together, and parked as failed once it has had its attempts. Both
/// pipeline workers (envelopes and outbox) decide with this one rule.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    /// <param name="attemptsSoFar">Failed attempts recorded on the row before this one.</param>
    public RetryDecision Decide(int attemptsSoFar, DateTimeOffset now) =>
        attemptsSoFar + 1 >= MaxAttempts
            ? new RetryDecision.Park()
            : new RetryDecision.Retry(now + Delay(attemptsSoFar));

    /// <summary>The wait before the next attempt: doubling from the first delay, jittered by ±25 %, never above the maximum.</summary>
    public TimeSpan Delay(int attemptsSoFar)
    {
        var exponent = Math.Clamp(attemptsSoFar, 0, 20);
        var baseMs = Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = baseMs * (0.75 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, jittered));
    }
}

public abstract record RetryDecision
{
    private RetryDecision()
    {
    }

    public sealed record Retry(DateTimeOffset At) : RetryDecision;

    /// <summary>No attempts left: the row waits for a person (replay) instead of the worker.</summary>
    public sealed record Park : RetryDecision;
}
