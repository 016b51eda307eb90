using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

public sealed record FlowInstanceSummaryDto(
    Guid Id, Guid FlowId, string? FlowName, int Version, Guid? ConversationId, FlowInstanceStatus Status,
    DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, string? CurrentNodeId);

/// <summary>Instances, newest first, optionally of one flow, in one status or of one conversation.</summary>
public sealed record ListFlowInstances(Guid? FlowId, FlowInstanceStatus? Status, Guid? ConversationId, string? Cursor, int? Limit)
    : IQuery<CursorPage<FlowInstanceSummaryDto>>;

public sealed class ListFlowInstancesValidator : AbstractValidator<ListFlowInstances>
{
    public ListFlowInstancesValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ListFlowInstancesHandler(IOneInboxDb db, ICurrentUser user) : IQueryHandler<ListFlowInstances, CursorPage<FlowInstanceSummaryDto>>
{
    public async ValueTask<CursorPage<FlowInstanceSummaryDto>> Handle(ListFlowInstances query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var instances = FlowJournalAccess.Visible(db, user);
        if (query.FlowId is { } flowId)
            instances = instances.Where(i => i.FlowId == flowId);
        if (query.Status is { } status)
            instances = instances.Where(i => i.Status == status);
        if (query.ConversationId is { } conversationId)
            instances = instances.Where(i => i.ConversationId == conversationId);
        if (Cursor.TryDecode(query.Cursor, out var last))
            instances = instances.Where(i => i.Id < last);
        var rows = await instances.OrderByDescending(i => i.Id).Take(limit + 1)
            .Select(i => new FlowInstanceSummaryDto(
                i.Id, i.FlowId, db.Flows.Where(f => f.Id == i.FlowId).Select(f => f.Name).FirstOrDefault(), i.Version, i.ConversationId, i.Status,
                i.StartedAt, i.UpdatedAt, i.CurrentNodeId))
            .ToListAsync(cancellationToken);
        return Cursor.Page(rows, limit, i => i.Id);
    }
}
