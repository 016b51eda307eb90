using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Instances;

/// <summary>
/// Deletes the journal of instances that finished longer ago than the retention period
/// (<see cref="FlowRuntimeOptions.JournalRetention"/>). Instances in progress keep theirs whatever their age:
/// their journal is what explains them if they are contested.
/// </summary>
public sealed class FlowJournalRetention(IServiceScopeFactory scopes, TimeProvider clock, FlowRuntimeOptions options)
{
    private const int Batch = 500;

    public Task<int> PurgeAsync(CancellationToken cancellationToken) => PurgeAsync(options.JournalRetention, cancellationToken);

    /// <returns>How many journal entries were deleted.</returns>
    public async Task<int> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - retention;
        var deleted = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
            // A background job across workspaces: the one place the tenant filter is lifted, for deletion only.
            var finished = db.FlowInstances.IgnoreQueryFilters()
                .Where(i => (i.Status == FlowInstanceStatus.Completed || i.Status == FlowInstanceStatus.Cancelled) && i.UpdatedAt <= cutoff)
                .Select(i => i.Id);
            var entries = await db.FlowJournal.IgnoreQueryFilters().Where(j => finished.Contains(j.InstanceId)).OrderBy(j => j.Id).Take(Batch).ToListAsync(cancellationToken);
            if (entries.Count == 0)
                return deleted;
            db.FlowJournal.RemoveRange(entries);
            await db.SaveChangesAsync(cancellationToken);
            deleted += entries.Count;
        }
    }
}
