using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Flows;

/// <summary>Checks the draft as publishing would, without publishing.</summary>
public sealed record ValidateFlow(Guid FlowId) : IQuery<FlowValidationDto>;

public sealed class ValidateFlowHandler(IOneInboxDb db, IFlowEngine engine) : IQueryHandler<ValidateFlow, FlowValidationDto>
{
    public async ValueTask<FlowValidationDto> Handle(ValidateFlow query, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(query.FlowId, cancellationToken);
        var problems = engine.Validate(flow.DraftGraph);
        return new FlowValidationDto(problems.Count == 0, problems);
    }
}
