using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.UnitTests.Workers;

/// <summary>The periodic worker waits on its TimeProvider, so a fake clock drives it without real sleeping.</summary>
public class PeriodicWorkerTests
{
    [Fact]
    public async Task A_round_runs_at_start_and_then_once_per_interval_of_the_clock()
    {
        var clock = new FakeTimeProvider();
        using var worker = new CountingWorker(clock, TimeSpan.FromMinutes(5));

        await worker.StartAsync(CancellationToken.None);
        await worker.Rounds.WaitForAsync(1);
        var untilSecond = await AdvanceUntilAsync(clock, worker.Rounds, 2);
        var untilThird = await AdvanceUntilAsync(clock, worker.Rounds, 3);
        await worker.StopAsync(CancellationToken.None);

        // Advanced a minute at a time: the round comes at the fifth minute (the sixth if the worker's wait began a step late).
        Assert.InRange(untilSecond, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
        Assert.InRange(untilThird, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
    }

    [Fact]
    public async Task A_round_that_says_more_is_waiting_is_followed_at_once_without_the_clock_moving()
    {
        var clock = new FakeTimeProvider();
        using var worker = new CountingWorker(clock, TimeSpan.FromHours(1)) { MoreWaitingFor = 3 };

        await worker.StartAsync(CancellationToken.None);
        await worker.Rounds.WaitForAsync(4);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_round_is_logged_and_the_worker_tries_again_after_its_failure_wait()
    {
        var clock = new FakeTimeProvider();
        using var worker = new CountingWorker(clock, TimeSpan.FromHours(1)) { FailFirst = true };

        await worker.StartAsync(CancellationToken.None);
        await worker.Rounds.WaitForAsync(1);
        var untilRetry = await AdvanceUntilAsync(clock, worker.Rounds, 2);
        await worker.StopAsync(CancellationToken.None);

        Assert.InRange(untilRetry, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
    }

    /// <summary>Moves the fake clock a minute at a time until the worker has run the given number of rounds; how far it moved.</summary>
    private static async Task<TimeSpan> AdvanceUntilAsync(FakeTimeProvider clock, RoundCounter rounds, int count)
    {
        var advanced = TimeSpan.Zero;
        while (rounds.Count < count)
        {
            Assert.True(advanced < TimeSpan.FromHours(2), $"expected {count} rounds, saw {rounds.Count}");
            // Lets the worker reach its wait before the clock moves on.
            await Task.Delay(50);
            if (rounds.Count >= count)
                break;
            clock.Advance(TimeSpan.FromMinutes(1));
            advanced += TimeSpan.FromMinutes(1);
        }
        return advanced;
    }

    private sealed class CountingWorker(TimeProvider clock, TimeSpan interval) : PeriodicWorker(clock, NullLogger.Instance)
    {
        public RoundCounter Rounds { get; } = new();

        public int MoreWaitingFor { get; init; }

        public bool FailFirst { get; init; }

        protected override TimeSpan Interval => interval;

        protected override TimeSpan RetryAfterFailure => TimeSpan.FromMinutes(1);

        protected internal override Task<bool> RunOnceAsync(CancellationToken cancellationToken)
        {
            var round = Rounds.Increment();
            if (FailFirst && round == 1)
                throw new InvalidOperationException("the database is away");
            return Task.FromResult(round <= MoreWaitingFor);
        }
    }

    private sealed class RoundCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public int Increment() => Interlocked.Increment(ref _count);

        /// <summary>Real time only bounds the test; the worker itself never waits on it.</summary>
        public async Task WaitForAsync(int rounds)
        {
            var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
            while (Count < rounds)
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, $"expected {rounds} rounds, saw {Count}");
                await Task.Delay(10);
            }
        }
    }
}
