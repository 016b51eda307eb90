using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Conversations;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Inbox;

/// <summary>
/// Wakes snoozed conversations when their time comes. Every node may run it: waking is idempotent, so two
/// nodes waking the same conversation at once both leave it open.
/// </summary>
internal sealed class SnoozeAlarm(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<SnoozeAlarm> logger)
    : PeriodicWorker(clock, logger)
{
    /// <summary>A round that woke this many may have left more behind: the next starts at once.</summary>
    private const int FullRound = 200;

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(configuration.GetValue("OneInbox:Inbox:SnoozePollSeconds", 15));

    protected internal override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new WakeSnoozedConversations(), cancellationToken) >= FullRound;
    }
}
