using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Flows;

/// <summary>Stops an instance for good; its pending timers are dropped so nothing resumes it.</summary>
public sealed record CancelFlowInstance(Guid InstanceId) : ICommand;

public sealed class CancelFlowInstanceHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<CancelFlowInstance>
{
    public async ValueTask<Unit> Handle(CancelFlowInstance command, CancellationToken cancellationToken)
    {
        var instance = await db.FlowInstances.FirstOrDefaultAsync(i => i.Id == command.InstanceId, cancellationToken)
            ?? throw new NotFoundException("Flow instance", command.InstanceId);
        var before = instance.Status;
        instance.Cancel(clock);
        if (new Domain.Reports.FlowTally().Ended(before, instance.Status, instance.CurrentNodeId).ToDelta(instance, clock.GetUtcNow()) is { } counted)
            db.FlowReportDeltas.Add(counted);
        db.FlowTimers.RemoveRange(await db.FlowTimers.Where(t => t.InstanceId == instance.Id && t.FiredAt == null).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
