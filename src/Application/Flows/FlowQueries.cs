using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>Reads shared by the flow use cases.</summary>
internal static class FlowQueries
{
    public static async Task<FlowDefinition> FindFlowAsync(this IOneInboxDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Flows.FirstOrDefaultAsync(f => f.Id == id, cancellationToken) ?? throw new NotFoundException("Flow", id);

    public static async Task<FlowDetailDto> FlowDetailAsync(this IOneInboxDb db, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.Flows.AsNoTracking().Where(f => f.Id == id)
            .Select(f => new { f.DraftGraph })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Flow", id);
        var summary = await db.Flows.AsNoTracking().Where(f => f.Id == id).Select(FlowProjections.Summary(db)).FirstAsync(cancellationToken);
        return FlowProjections.Detail(summary, row.DraftGraph);
    }

    /// <summary>Points the flow's one trigger row at the version just activated.</summary>
    public static async Task IndexTriggerAsync(this IOneInboxDb db, IFlowEngine engine, FlowDefinition flow, FlowVersion version, CancellationToken cancellationToken)
    {
        await db.RemoveTriggersAsync(flow.Id, cancellationToken);
        var trigger = engine.DescribeTrigger(version.Graph);
        db.FlowTriggers.Add(new FlowTrigger(flow.Id, version.Id, version.Version, trigger.Type, trigger.FilterJson, flow.Priority));
    }

    public static async Task RemoveTriggersAsync(this IOneInboxDb db, Guid flowId, CancellationToken cancellationToken)
    {
        foreach (var old in await db.FlowTriggers.Where(t => t.FlowId == flowId).ToListAsync(cancellationToken))
            db.FlowTriggers.Remove(old);
    }
}
