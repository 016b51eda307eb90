using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>
/// Deletes a flow with its versions and trigger. Finished instances and their journal stay: they are the
/// record of automated decisions. A flow with instances still in progress cannot be deleted.
/// </summary>
public sealed record DeleteFlow(Guid FlowId) : ICommand;

public sealed class DeleteFlowHandler(IOneInboxDb db) : ICommandHandler<DeleteFlow>
{
    public async ValueTask<Unit> Handle(DeleteFlow command, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(command.FlowId, cancellationToken);
        if (await db.FlowInstances.AnyAsync(i => i.FlowId == flow.Id && (i.Status == FlowInstanceStatus.Running || i.Status == FlowInstanceStatus.Waiting), cancellationToken))
            throw new ConflictException("flow.inUse", "The flow has instances in progress; retract it and let them finish, or cancel them, first.");
        await db.RemoveTriggersAsync(flow.Id, cancellationToken);
        db.FlowVersions.RemoveRange(await db.FlowVersions.Where(v => v.FlowId == flow.Id).ToListAsync(cancellationToken));
        db.Flows.Remove(flow);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
