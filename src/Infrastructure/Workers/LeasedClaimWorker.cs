using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneInbox.Infrastructure.Channels;

namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// The shape of every worker that takes rows off a shared table (ADR 0008): claim due rows with a lease (several
/// nodes claim side by side, and a node that dies releases its rows when the lease runs out), cut the claim into
/// units of one workspace each, work the units side by side, and when a unit fails as a whole, handle each of its
/// rows alone so one bad row neither holds up nor fails the others. An empty claim sleeps for the idle delay,
/// cut short by the worker's <see cref="WorkSignal"/> when work is stored on this node.
/// </summary>
public abstract partial class LeasedClaimWorker(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>How long the loop pauses after a round failed outside any unit (the claim itself, usually the database).</summary>
    public static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(1);

    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    /// <summary>How many units run side by side.</summary>
    protected abstract int Parallelism { get; }

    /// <summary>The most rows one unit of work holds.</summary>
    protected abstract int MaxUnit { get; }

    protected abstract TimeSpan IdleDelay { get; }

    /// <summary>Wakes the worker before the idle delay is over; none means it only polls.</summary>
    protected virtual WorkSignal? Signal => null;

    /// <summary>Claims the next rows with a lease (committed before any unit starts).</summary>
    protected abstract Task<IReadOnlyList<ClaimedRow>> ClaimAsync(CancellationToken cancellationToken);

    /// <summary>All rows of the unit in one unit of work; throws when it failed as a whole.</summary>
    protected abstract Task WorkUnitAsync(ClaimedRow[] unit, CancellationToken cancellationToken);

    /// <summary>After its unit failed: the row on its own, recording its own outcome (retry, park or done).</summary>
    protected abstract Task WorkAloneAsync(ClaimedRow row, Exception unitFailure, CancellationToken cancellationToken);

    /// <summary>One claim-and-work round; the number of rows it claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        await Parallel.ForEachAsync(ClaimUnits.Of(claimed, MaxUnit),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (unit, ct) => await RunUnitAsync(unit, ct));
        return claimed.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) > 0)
                    continue;
                if (Signal is { } signal)
                    await signal.WaitAsync(IdleDelay, Clock, stoppingToken);
                else
                    await Task.Delay(IdleDelay, Clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(GetType().Name, ex.GetType().Name, ex);
                await Task.Delay(PauseAfterFailure, Clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RunUnitAsync(ClaimedRow[] unit, CancellationToken cancellationToken)
    {
        try
        {
            await WorkUnitAsync(unit, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogUnitFallback(GetType().Name, unit.Length, ex.GetType().Name);
            foreach (var row in unit)
                await WorkAloneAsync(row, ex, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} round failed with {ExceptionType}")]
    private partial void LogRoundFailed(string worker, string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Worker}: a unit of {Count} rows failed with {ExceptionType}; handling them one by one")]
    private partial void LogUnitFallback(string worker, int count, string exceptionType);
}
