using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Retention;

namespace OneInbox.Infrastructure.Retention;

public static class RetentionSetup
{
    /// <summary>The purge job: on demand through <see cref="IRetentionPurge"/>, and nightly when the worker runs.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RetentionOptions.Section).Get<RetentionOptions>() ?? new RetentionOptions();
        services.AddSingleton(options);
        services.AddSingleton<WorkspaceEraser>();
        services.AddSingleton<RetentionPurge>();
        services.AddSingleton<IRetentionPurge>(sp => sp.GetRequiredService<RetentionPurge>());
        if (options.RunWorker)
            services.AddHostedService<NightlyPurge>();
        return services;
    }
}

/// <summary>Starts the purge of every workspace once a night at <see cref="RetentionOptions.NightlyAt"/> (UTC).</summary>
internal sealed partial class NightlyPurge(RetentionPurge purge, RetentionOptions options, TimeProvider clock, ILogger<NightlyPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(UntilNextRun(clock.GetUtcNow()), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
                return;
            try
            {
                await purge.PurgeAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex.GetType().Name);
            }
        }
    }

    internal TimeSpan UntilNextRun(DateTimeOffset now)
    {
        var next = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + options.NightlyAt;
        if (next <= now)
            next = next.AddDays(1);
        return next - now;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The nightly purge failed with {ExceptionType}; it runs again tomorrow")]
    private partial void LogFailed(string exceptionType);
}
