using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Flows;

public sealed record GetFlow(Guid FlowId) : IQuery<FlowDetailDto>;

public sealed class GetFlowHandler(IOneInboxDb db) : IQueryHandler<GetFlow, FlowDetailDto>
{
    public async ValueTask<FlowDetailDto> Handle(GetFlow query, CancellationToken cancellationToken) =>
        await db.FlowDetailAsync(query.FlowId, cancellationToken);
}
