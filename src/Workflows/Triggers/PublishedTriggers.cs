using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;

namespace OneInbox.Workflows.Triggers;

/// <summary>
/// Each workspace's published triggers, kept on every node: each round of inbound messages read them from the database
/// again. A save that adds, changes or removes a trigger signals its workspace once committed, and every node forgets
/// them (ADR 0020); a node that missed the signal reads them again after <see cref="Lifetime"/>.
/// </summary>
public sealed class PublishedTriggers(TimeProvider clock, ICacheSignals signals)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly SignalledCache<IReadOnlyList<FlowTrigger>> _workspaces = new(CachedData.FlowTriggers, Lifetime, signals, clock);

    /// <summary>The workspace's triggers of one type; read untracked, shared between units of work, never changed.</summary>
    public async Task<IReadOnlyList<FlowTrigger>> OfTypeAsync(IOneInboxDb db, Guid workspaceId, string type, CancellationToken cancellationToken)
    {
        var all = await _workspaces.GetOrReadAsync(workspaceId, async () => await db.FlowTriggers.AsNoTracking().ToListAsync(cancellationToken));
        return all.Where(t => t.Type == type).ToList();
    }
}
