using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>A new, unpublished flow with a copy of the draft.</summary>
public sealed record DuplicateFlow(Guid FlowId) : ICommand<FlowDetailDto>;

public sealed class DuplicateFlowHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<DuplicateFlow, FlowDetailDto>
{
    public async ValueTask<FlowDetailDto> Handle(DuplicateFlow command, CancellationToken cancellationToken)
    {
        var source = await db.FindFlowAsync(command.FlowId, cancellationToken);
        var name = source.Name.Length + 7 > FlowDefinition.MaxNameLength ? source.Name : $"{source.Name} (copy)";
        var copy = FlowDefinition.Create(name, source.Description, source.DraftGraph, clock);
        db.Flows.Add(copy);
        await db.SaveChangesAsync(cancellationToken);
        return await db.FlowDetailAsync(copy.Id, cancellationToken);
    }
}
