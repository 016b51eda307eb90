using System.Text.Json;
using FluentValidation;
using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Flows;

/// <summary>Saves the draft as drawn, even when it would not validate: the designer saves work in progress.</summary>
public sealed record SaveFlowDraft(Guid FlowId, JsonElement Graph) : ICommand<FlowDetailDto>;

public sealed class SaveFlowDraftValidator : AbstractValidator<SaveFlowDraft>
{
    public SaveFlowDraftValidator() =>
        RuleFor(c => c.Graph).Must(g => g.ValueKind == JsonValueKind.Object).WithMessage(FlowRules.GraphObjectMessage);
}

public sealed class SaveFlowDraftHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<SaveFlowDraft, FlowDetailDto>
{
    public async ValueTask<FlowDetailDto> Handle(SaveFlowDraft command, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(command.FlowId, cancellationToken);
        flow.SaveDraft(command.Graph.GetRawText(), clock);
        await db.SaveChangesAsync(cancellationToken);
        return await db.FlowDetailAsync(flow.Id, cancellationToken);
    }
}
