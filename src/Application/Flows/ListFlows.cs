using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;

namespace OneInbox.Application.Flows;

/// <summary>Flows, newest first.</summary>
public sealed record ListFlows(string? Cursor, int? Limit) : IQuery<CursorPage<FlowSummaryDto>>;

public sealed class ListFlowsValidator : AbstractValidator<ListFlows>
{
    public ListFlowsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ListFlowsHandler(IOneInboxDb db) : IQueryHandler<ListFlows, CursorPage<FlowSummaryDto>>
{
    public async ValueTask<CursorPage<FlowSummaryDto>> Handle(ListFlows query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var flows = db.Flows.AsNoTracking();
        if (Cursor.TryDecode(query.Cursor, out var last))
            flows = flows.Where(f => f.Id < last);
        var rows = await flows.OrderByDescending(f => f.Id).Take(limit + 1).Select(FlowProjections.Summary(db)).ToListAsync(cancellationToken);
        return Cursor.Page(rows, limit, f => f.Id);
    }
}
