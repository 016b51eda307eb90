using OneInbox.Infrastructure.Channels;
using OneInbox.Workflows.Hosting;

namespace OneInbox.WebApi.Automation;

/// <summary>How often the flow workers run; tests shorten them.</summary>
public sealed class FlowWorkerOptions
{
    public const string Section = "OneInbox:Flows";

    /// <summary>Off for hosts that must not touch shared data behind a test's back.</summary>
    public bool RunWorkers { get; set; } = true;

    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int TimerBatchSize { get; set; } = 100;

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often schedule triggers are checked; a cron with seconds is honoured to this precision.</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The loop every flow worker shares: run a round, sleep for the interval (or go again at once when the round
/// says more is waiting), log a failed round without stopping, end quietly on shutdown.
/// </summary>
internal abstract partial class PeriodicWorker(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>How long to wait after a failed round; the interval unless a worker knows better.</summary>
    protected virtual TimeSpan RetryAfterFailure => Interval;

    /// <summary>One round of work; true when more is waiting and the next round should start at once.</summary>
    protected abstract Task<bool> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                LogFailed(GetType().Name, ex.GetType().Name, ex);
                wait = RetryAfterFailure;
            }
            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} failed with {ExceptionType}")]
    private partial void LogFailed(string worker, string exceptionType, Exception exception);
}

/// <summary>
/// Fires due flow timers (delays, question timeouts, retries). Timers are rows claimed with a lease, so
/// several servers may poll at once and a restart loses none; each fires once.
/// </summary>
internal sealed class FlowTimerWorker(FlowTimerProcessor processor, FlowWorkerOptions options, TimeProvider clock, ILogger<FlowTimerWorker> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => options.TimerInterval;

    // A full batch means more are due: go again at once instead of sleeping.
    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken) =>
        await processor.RunDueAsync(options.TimerBatchSize, cancellationToken) >= options.TimerBatchSize;
}

/// <summary>
/// Starts flows whose published schedule trigger fell due. Each occurrence is claimed by one node (the
/// trigger's next-due time is a concurrency token), so several servers may poll at once.
/// </summary>
internal sealed partial class FlowScheduleWorker(FlowScheduleProcessor processor, FlowWorkerOptions options, TimeProvider clock, ILogger<FlowScheduleWorker> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => options.ScheduleInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = await processor.RunDueAsync(cancellationToken);
        if (started > 0)
            LogStarted(Logger, started);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled flows started {Count} instances")]
    private static partial void LogStarted(ILogger logger, int count);
}

/// <summary>Purges the journal of long-finished instances once an hour (the retention period is configurable).</summary>
internal sealed partial class FlowJournalRetentionWorker(FlowJournalRetention retention, FlowWorkerOptions options, TimeProvider clock, ILogger<FlowJournalRetentionWorker> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => options.RetentionInterval;

    protected override TimeSpan RetryAfterFailure => TimeSpan.FromMinutes(1);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var purged = await retention.PurgeAsync(cancellationToken);
        if (purged > 0)
            LogPurged(Logger, purged);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} journal entries of finished flow instances past retention")]
    private static partial void LogPurged(ILogger logger, int count);
}

/// <summary>Deletes processed inbound envelopes and sent outbox rows past their retention, once an hour.</summary>
internal sealed partial class ChannelRetentionWorker(ChannelRetention retention, FlowWorkerOptions options, TimeProvider clock, ILogger<ChannelRetentionWorker> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => options.RetentionInterval;

    protected override TimeSpan RetryAfterFailure => TimeSpan.FromMinutes(1);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (envelopes, outbox) = await retention.PurgeAsync(cancellationToken);
        if (envelopes + outbox > 0)
            LogPurged(Logger, envelopes, outbox);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Envelopes} processed inbound envelopes and {Outbox} sent outbox rows past retention")]
    private static partial void LogPurged(ILogger logger, int envelopes, int outbox);
}

public static class FlowWorkersSetup
{
    public static IServiceCollection AddFlowWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FlowWorkerOptions.Section).Get<FlowWorkerOptions>() ?? new FlowWorkerOptions();
        services.AddSingleton(options);
        if (options.RunWorkers)
        {
            services.AddHostedService<FlowTimerWorker>();
            services.AddHostedService<FlowScheduleWorker>();
            services.AddHostedService<FlowJournalRetentionWorker>();
            services.AddHostedService<ChannelRetentionWorker>();
        }
        return services;
    }
}
