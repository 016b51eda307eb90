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
        instance.Cancel(clock);
        db.FlowTimers.RemoveRange(await db.FlowTimers.Where(t => t.InstanceId == instance.Id && t.FiredAt == null).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
