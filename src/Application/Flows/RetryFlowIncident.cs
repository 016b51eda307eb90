using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Common;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>
/// Resolves an incident and schedules the instance to run again from the node that failed. The retry goes
/// through a timer row due now, so it is executed by the conversation's one writer like any other stimulus.
/// </summary>
public sealed record RetryFlowIncident(Guid InstanceId, Guid IncidentId) : ICommand;

public sealed class RetryFlowIncidentHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<RetryFlowIncident>
{
    public async ValueTask<Unit> Handle(RetryFlowIncident command, CancellationToken cancellationToken)
    {
        var instance = await db.FlowInstances.FirstOrDefaultAsync(i => i.Id == command.InstanceId, cancellationToken)
            ?? throw new NotFoundException("Flow instance", command.InstanceId);
        var incident = await db.FlowIncidents.FirstOrDefaultAsync(i => i.Id == command.IncidentId && i.InstanceId == instance.Id, cancellationToken)
            ?? throw new NotFoundException("Incident", command.IncidentId);
        if (instance.Status != FlowInstanceStatus.Faulted)
            throw new DomainException("flowInstance.notFaulted", "Only a faulted instance can be retried.");
        incident.Resolve(clock);
        db.FlowTimers.Add(new FlowTimer(instance.Id, FlowTimerKind.Retry, null, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
