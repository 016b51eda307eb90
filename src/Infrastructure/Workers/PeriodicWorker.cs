using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// A background job that runs a round of work every interval: run a round, wait (or go again at once when the
/// round says more is waiting), log a failed round without stopping, end quietly on shutdown. Every wait goes
/// through the <see cref="TimeProvider"/>, so a test drives the loop with a fake clock.
/// </summary>
public abstract partial class PeriodicWorker(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>How long to wait after a failed round; the interval unless a worker knows better.</summary>
    protected virtual TimeSpan RetryAfterFailure => Interval;

    /// <summary>One round of work; true when more is waiting and the next round should start at once.</summary>
    protected internal abstract Task<bool> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host's start-up must not wait for the first round.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                if (await RunOnceAsync(stoppingToken))
                    continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(GetType().Name, ex.GetType().Name, ex);
                wait = RetryAfterFailure;
            }
            try
            {
                await Task.Delay(wait, Clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} failed with {ExceptionType}")]
    private partial void LogRoundFailed(string worker, string exceptionType, Exception exception);
}
