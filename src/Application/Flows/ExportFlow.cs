using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Flows;

/// <summary>The draft in the portable format; it carries no ids of this workspace beyond what the graph holds.</summary>
public sealed record ExportFlow(Guid FlowId) : IQuery<ExportedFlow>;

public sealed class ExportFlowHandler(IOneInboxDb db) : IQueryHandler<ExportFlow, ExportedFlow>
{
    public async ValueTask<ExportedFlow> Handle(ExportFlow query, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(query.FlowId, cancellationToken);
        return new ExportedFlow(ExportedFlow.CurrentFormat, flow.Name, flow.Description, FlowProjections.Json(flow.DraftGraph));
    }
}
