using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Domain.Flows;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Instances;

/// <summary>
/// Fires due timers (delays, question timeouts, admin retries). A timer is first claimed with a lease (the
/// claim is an optimistic-concurrency write, so of several nodes only one wins), then resumed in a unit of
/// work of its workspace that also marks it fired: the resume and the "fired" mark commit together, so a
/// timer fires once, and a node that dies after claiming leaves a lease that simply expires.
/// Timers are rows, so they survive restarts.
/// </summary>
public sealed class FlowTimerProcessor(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <returns>How many timers this call fired.</returns>
    public async Task<int> RunDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        var fired = 0;
        foreach (var timerId in await ClaimAsync(batchSize, cancellationToken))
        {
            if (await FireAsync(timerId, cancellationToken))
                fired++;
        }
        return fired;
    }

    private async Task<List<Guid>> ClaimAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            // Background work spans workspaces: the tenant filter is lifted to find due timers, and each is
            // then claimed and fired in a unit of work of its own workspace.
            var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
            due = await db.FlowTimers.IgnoreQueryFilters()
                .Where(t => t.FiredAt == null && t.DueAt <= now && (t.ClaimedUntil == null || t.ClaimedUntil < now))
                // A closed workspace's flows sleep until it is reopened.
                .Where(t => db.Workspaces.Any(w => w.Id == t.WorkspaceId && w.ClosedAt == null))
                .OrderBy(t => t.DueAt)
                .Take(batchSize)
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
        }
        var claimed = new List<Guid>();
        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
            var timer = await db.FlowTimers.IgnoreQueryFilters().SingleAsync(t => t.Id == id, cancellationToken);
            if (timer.FiredAt is not null || timer.ClaimedUntil >= now)
                continue;
            timer.Claim(Lease, clock);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                claimed.Add(id);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another node claimed it between our read and our write (the lease is a concurrency token).
            }
        }
        return claimed;
    }

    private async Task<bool> FireAsync(Guid timerId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IOneInboxDb>();
        var workspaceId = await db.FlowTimers.IgnoreQueryFilters().Where(t => t.Id == timerId).Select(t => t.WorkspaceId).SingleAsync(cancellationToken);
        services.GetRequiredService<WorkspaceContext>().Enter(workspaceId);

        var timer = await db.FlowTimers.SingleAsync(t => t.Id == timerId, cancellationToken);
        if (timer.FiredAt is not null)
            return false;
        timer.Fire(clock);
        var instance = await db.FlowInstances.SingleOrDefaultAsync(i => i.Id == timer.InstanceId, cancellationToken);
        if (instance is not null && instance.Status != FlowInstanceStatus.Cancelled)
        {
            var version = await db.FlowVersions.SingleAsync(v => v.Id == instance.FlowVersionId, cancellationToken);
            var conversation = await services.GetRequiredService<IFlowConversations>().OpenAsync(instance.ConversationId, FlowReference.For(instance.FlowId, instance.Version), cancellationToken);
            var context = FlowRunContext.For(conversation, instance.ConversationId, services);
            Stimulus stimulus = timer.Kind == FlowTimerKind.Retry ? new RetryStimulus() : new TimerStimulus(timer.BookmarkId ?? Guid.Empty);
            await services.GetRequiredService<FlowExecutor>().ResumeAsync(instance, version, context, stimulus, cancellationToken);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Fired elsewhere after our lease expired; the other resume won, ours is discarded whole.
            return false;
        }
    }
}
