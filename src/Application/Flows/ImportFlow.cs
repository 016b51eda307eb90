using System.Text.Json;
using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>Creates an unpublished flow from an export, in the caller's workspace.</summary>
public sealed record ImportFlow(string Format, string Name, string? Description, JsonElement Graph) : ICommand<FlowDetailDto>;

public sealed class ImportFlowValidator : AbstractValidator<ImportFlow>
{
    public ImportFlowValidator()
    {
        RuleFor(c => c.Format).Equal(ExportedFlow.CurrentFormat).WithMessage($"Only the format '{ExportedFlow.CurrentFormat}' can be imported.");
        RuleFor(c => c.Name).NotEmpty().MaximumLength(FlowDefinition.MaxNameLength);
        RuleFor(c => c.Description).MaximumLength(FlowDefinition.MaxDescriptionLength);
        RuleFor(c => c.Graph).Must(g => g.ValueKind == JsonValueKind.Object).WithMessage(FlowRules.GraphObjectMessage);
    }
}

public sealed class ImportFlowHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<ImportFlow, FlowDetailDto>
{
    public async ValueTask<FlowDetailDto> Handle(ImportFlow command, CancellationToken cancellationToken)
    {
        var flow = FlowDefinition.Create(command.Name, command.Description, command.Graph.GetRawText(), clock);
        db.Flows.Add(flow);
        await db.SaveChangesAsync(cancellationToken);
        return await db.FlowDetailAsync(flow.Id, cancellationToken);
    }
}
