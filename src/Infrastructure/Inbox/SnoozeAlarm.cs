using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Conversations;

namespace OneInbox.Infrastructure.Inbox;

/// <summary>
/// Wakes snoozed conversations when their time comes. Every node may run it: waking is idempotent, so two
/// nodes waking the same conversation at once both leave it open.
/// </summary>
internal sealed partial class SnoozeAlarm(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<SnoozeAlarm> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("OneInbox:Inbox:SnoozePollSeconds", 15));
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                woken = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new WakeSnoozedConversations(), stoppingToken);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
            {
                LogFailed(ex.GetType().Name);
            }
            if (woken < 200)
                await Task.Delay(interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking snoozed conversations failed with {Exception}; trying again later")]
    private partial void LogFailed(string exception);
}
