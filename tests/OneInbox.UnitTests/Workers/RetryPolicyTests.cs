using OneInbox.Infrastructure.Workers;

namespace OneInbox.UnitTests.Workers;

/// <summary>The one rule by which the envelope processor and the outbox dispatcher retry or park a failed row.</summary>
public class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly RetryPolicy _policy = new(MaxAttempts: 4, FirstDelay: TimeSpan.FromSeconds(2), MaxDelay: TimeSpan.FromSeconds(10));

    [Fact]
    public void A_first_failure_is_retried_about_the_first_delay_later()
    {
        var retry = Assert.IsType<RetryDecision.Retry>(_policy.Decide(attemptsSoFar: 0, Now));

        Assert.InRange(retry.At - Now, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public void Each_further_failure_waits_about_twice_as_long()
    {
        var second = Assert.IsType<RetryDecision.Retry>(_policy.Decide(attemptsSoFar: 1, Now));
        var third = Assert.IsType<RetryDecision.Retry>(_policy.Decide(attemptsSoFar: 2, Now));

        Assert.InRange(second.At - Now, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
        Assert.InRange(third.At - Now, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_wait_never_exceeds_the_maximum_however_many_attempts_were_made()
    {
        var policy = _policy with { MaxAttempts = 1000 };

        Assert.All(Enumerable.Range(0, 200), attempts => Assert.InRange(policy.Delay(attempts), TimeSpan.Zero, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void The_last_allowed_attempt_failing_parks_the_row()
    {
        Assert.IsType<RetryDecision.Retry>(_policy.Decide(attemptsSoFar: 2, Now));
        Assert.IsType<RetryDecision.Park>(_policy.Decide(attemptsSoFar: 3, Now));
        Assert.IsType<RetryDecision.Park>(_policy.Decide(attemptsSoFar: 9, Now));
    }

    [Fact]
    public void Rows_failing_together_do_not_all_retry_at_the_same_instant()
    {
        var instants = Enumerable.Range(0, 50).Select(_ => ((RetryDecision.Retry)_policy.Decide(1, Now)).At).Distinct().Count();

        Assert.True(instants > 1, "jitter spreads the retries");
    }
}
