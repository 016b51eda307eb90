using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Flows;

/// <summary>No version is active any more: nothing new starts; instances in flight finish on their version.</summary>
public sealed record RetractFlow(Guid FlowId) : ICommand;

public sealed class RetractFlowHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<RetractFlow>
{
    public async ValueTask<Unit> Handle(RetractFlow command, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(command.FlowId, cancellationToken);
        flow.Retract(clock);
        await db.RemoveTriggersAsync(flow.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
