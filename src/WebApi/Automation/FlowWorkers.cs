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
/// Fires due flow timers (delays, question timeouts, retries). Timers are rows claimed with a lease, so
/// several servers may poll at once and a restart loses none; each fires once.
/// </summary>
internal sealed partial class FlowTimerWorker(FlowTimerProcessor processor, FlowWorkerOptions options, TimeProvider clock, ILogger<FlowTimerWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more are due: go again at once instead of sleeping.
                if (await processor.RunDueAsync(options.TimerBatchSize, stoppingToken) >= options.TimerBatchSize)
                    continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex.GetType().Name, ex);
            }
            try
            {
                await Task.Delay(options.TimerInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing flow timers failed with {ExceptionType}")]
    private partial void LogFailed(string exceptionType, Exception exception);
}

/// <summary>
/// Starts flows whose published schedule trigger fell due. Each occurrence is claimed by one node (the
/// trigger's next-due time is a concurrency token), so several servers may poll at once.
/// </summary>
internal sealed partial class FlowScheduleWorker(FlowScheduleProcessor processor, FlowWorkerOptions options, TimeProvider clock, ILogger<FlowScheduleWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var started = await processor.RunDueAsync(stoppingToken);
                if (started > 0)
                    LogStarted(started);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex.GetType().Name, ex);
            }
            try
            {
                await Task.Delay(options.ScheduleInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled flows started {Count} instances")]
    private partial void LogStarted(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running flow schedules failed with {ExceptionType}")]
    private partial void LogFailed(string exceptionType, Exception exception);
}

/// <summary>Purges the journal of long-finished instances once an hour (the retention period is configurable).</summary>
internal sealed partial class FlowJournalRetentionWorker(FlowJournalRetention retention, FlowWorkerOptions options, TimeProvider clock, ILogger<FlowJournalRetentionWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await retention.PurgeAsync(stoppingToken);
                if (purged > 0)
                    LogPurged(purged);
                await Task.Delay(options.RetentionInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex.GetType().Name, ex);
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} journal entries of finished flow instances past retention")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging the flow journal failed with {ExceptionType}")]
    private partial void LogFailed(string exceptionType, Exception exception);
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
