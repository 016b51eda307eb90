using System.Text.Json;
using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

public sealed record CreateFlow(string Name, string? Description, JsonElement? Graph) : ICommand<FlowDetailDto>;

public sealed class CreateFlowValidator : AbstractValidator<CreateFlow>
{
    public CreateFlowValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(FlowDefinition.MaxNameLength);
        RuleFor(c => c.Description).MaximumLength(FlowDefinition.MaxDescriptionLength);
        RuleFor(c => c.Graph).Must(FlowRules.IsGraphObject).WithMessage(FlowRules.GraphObjectMessage);
    }
}

public sealed class CreateFlowHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<CreateFlow, FlowDetailDto>
{
    public async ValueTask<FlowDetailDto> Handle(CreateFlow command, CancellationToken cancellationToken)
    {
        var flow = FlowDefinition.Create(command.Name, command.Description, command.Graph?.GetRawText() ?? FlowGraph.EmptyJson, clock);
        db.Flows.Add(flow);
        await db.SaveChangesAsync(cancellationToken);
        return await db.FlowDetailAsync(flow.Id, cancellationToken);
    }
}

internal static class FlowRules
{
    public const string GraphObjectMessage = "The graph must be a JSON object in the flow format (nodes, edges, variables, trigger, start).";

    public static bool IsGraphObject(JsonElement? graph) => graph is null || graph.Value.ValueKind == JsonValueKind.Object;
}
