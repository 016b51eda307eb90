using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Flows;

/// <summary>Published versions, newest first.</summary>
public sealed record ListFlowVersions(Guid FlowId) : IQuery<IReadOnlyList<FlowVersionDto>>;

public sealed class ListFlowVersionsHandler(IOneInboxDb db) : IQueryHandler<ListFlowVersions, IReadOnlyList<FlowVersionDto>>
{
    public async ValueTask<IReadOnlyList<FlowVersionDto>> Handle(ListFlowVersions query, CancellationToken cancellationToken)
    {
        if (!await db.Flows.AnyAsync(f => f.Id == query.FlowId, cancellationToken))
            throw new NotFoundException("Flow", query.FlowId);
        return await db.FlowVersions.AsNoTracking().Where(v => v.FlowId == query.FlowId)
            .OrderByDescending(v => v.Version)
            .Select(v => new FlowVersionDto(v.Version, v.PublishedAt, v.PublishedBy))
            .ToListAsync(cancellationToken);
    }
}
