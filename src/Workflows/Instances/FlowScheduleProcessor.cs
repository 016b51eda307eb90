using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Flows;
using OneInbox.Workflows.Triggers;

namespace OneInbox.Workflows.Instances;

/// <summary>
/// Runs published schedule triggers. A due occurrence is claimed by moving the trigger's next-due time
/// forward (a concurrency token, so of several nodes only one runs it), then the flow starts on every open
/// conversation of the workspace that has no flow in progress, no hand-off and a contact who allows
/// automation, each in a unit of work of its own (state, journal and outbound rows commit together).
/// A node that dies between the claim and the starts skips that occurrence: at most once, never twice.
/// </summary>
public sealed class FlowScheduleProcessor(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string ScheduleTrigger = "Schedule";

    /// <returns>How many instances this call started.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<Guid> candidates;
        await using (var scope = scopes.CreateAsyncScope())
        {
            // Schedules span workspaces: the tenant filter is lifted to find them; each runs in its own.
            var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
            candidates = await db.FlowTriggers.IgnoreQueryFilters()
                .Where(t => t.Type == ScheduleTrigger && (t.NextDueAt == null || t.NextDueAt <= now))
                .Where(t => db.Workspaces.Any(w => w.Id == t.WorkspaceId && w.ClosedAt == null))
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
        }
        var started = 0;
        foreach (var id in candidates)
        {
            if (await ClaimAsync(id, now, cancellationToken) is { } claimed)
                started += await StartEverywhereAsync(claimed, cancellationToken);
        }
        return started;
    }

    /// <returns>The trigger's workspace when this node won a due occurrence; null otherwise.</returns>
    private async Task<(Guid WorkspaceId, Guid TriggerId)?> ClaimAsync(Guid triggerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
        var trigger = await db.FlowTriggers.IgnoreQueryFilters().SingleOrDefaultAsync(t => t.Id == triggerId, cancellationToken);
        if (trigger is null || trigger.NextDueAt > now)
            return null;
        // A schedule seen for the first time (just published) only learns its next occurrence: publishing
        // at 09:00:30 must not run the 09:00 occurrence.
        var due = trigger.NextDueAt is not null;
        // Cronos answers in the schedule's time zone; stored instants are UTC.
        trigger.ScheduleNext(TriggerMatcher.NextOccurrence(trigger, now)?.ToUniversalTime());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }
        return due ? (trigger.WorkspaceId, trigger.Id) : null;
    }

    private async Task<int> StartEverywhereAsync((Guid WorkspaceId, Guid TriggerId) claimed, CancellationToken cancellationToken)
    {
        List<Guid> conversationIds;
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(claimed.WorkspaceId);
            var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
            conversationIds = await db.Conversations
                .Where(c => c.Status == ConversationStatus.Open && c.HandedOffAt == null
                            && !db.FlowInstances.Any(i => i.ConversationId == c.Id
                                && (i.Status == FlowInstanceStatus.Running || i.Status == FlowInstanceStatus.Waiting || i.Status == FlowInstanceStatus.Faulted)))
                .Select(c => c.Id)
                .ToListAsync(cancellationToken);
        }
        var started = 0;
        foreach (var conversationId in conversationIds)
        {
            if (await StartAsync(claimed, conversationId, cancellationToken))
                started++;
        }
        return started;
    }

    private async Task<bool> StartAsync((Guid WorkspaceId, Guid TriggerId) claimed, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<WorkspaceContext>().Enter(claimed.WorkspaceId);
        var db = services.GetRequiredService<IOneInboxDb>();
        var trigger = await db.FlowTriggers.AsNoTracking().SingleOrDefaultAsync(t => t.Id == claimed.TriggerId, cancellationToken);
        if (trigger is null)
            return false;
        var version = await db.FlowVersions.SingleAsync(v => v.Id == trigger.FlowVersionId, cancellationToken);
        if (await services.GetRequiredService<IFlowStarter>().StartAsync(version, conversationId, cancellationToken) is null)
            return false;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // A flow started on the conversation meanwhile (one flow per conversation): it keeps it.
            return false;
        }
    }
}
