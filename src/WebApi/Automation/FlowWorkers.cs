using OneInbox.Infrastructure.Workers;
using OneInbox.Workflows.Instances;

namespace OneInbox.WebApi.Automation;

/// <summary>How often the flow workers run; tests shorten them.</summary>
public sealed class FlowWorkerOptions
{
    public const string Section = "OneInbox:Flows";

    /// <summary>Off for hosts that must not touch shared data behind a test's back.</summary>
    public bool RunWorkers { get; set; } = true;

    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int TimerBatchSize { get; set; } = 100;

    /// <summary>How often the journal of finished instances is purged.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often schedule triggers are checked; a cron with seconds is honoured to this precision.</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromSeconds(1);
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
        }
        return services;
    }
}
