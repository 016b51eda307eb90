using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

public sealed record UpdateFlow(Guid FlowId, string? Name, string? Description, int? Priority) : ICommand<FlowDetailDto>;

public sealed class UpdateFlowValidator : AbstractValidator<UpdateFlow>
{
    public UpdateFlowValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(FlowDefinition.MaxNameLength).When(c => c.Name is not null);
        RuleFor(c => c.Description).MaximumLength(FlowDefinition.MaxDescriptionLength);
        RuleFor(c => c.Priority).InclusiveBetween(-1000, 1000);
    }
}

public sealed class UpdateFlowHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<UpdateFlow, FlowDetailDto>
{
    public async ValueTask<FlowDetailDto> Handle(UpdateFlow command, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(command.FlowId, cancellationToken);
        flow.Update(command.Name, command.Description, command.Priority, clock);
        if (command.Priority is { } priority)
        {
            foreach (var trigger in await db.FlowTriggers.Where(t => t.FlowId == flow.Id).ToListAsync(cancellationToken))
                trigger.Reprioritize(priority);
        }
        await db.SaveChangesAsync(cancellationToken);
        return await db.FlowDetailAsync(flow.Id, cancellationToken);
    }
}
