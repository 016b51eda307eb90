using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;

namespace OneInbox.Application.Identity;

public sealed record AuditEventDto(Guid Id, string Action, string? Actor, string? Target, string? IpAddress, string? Details, DateTimeOffset OccurredAt);

/// <summary>The workspace's security audit log, newest first.</summary>
public sealed record ListAuditEvents(string? Action, string? Cursor, int? Limit) : IQuery<CursorPage<AuditEventDto>>;

public sealed class ListAuditEventsValidator : AbstractValidator<ListAuditEvents>
{
    public ListAuditEventsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
        RuleFor(q => q.Action).MaximumLength(100);
    }
}

public sealed class ListAuditEventsHandler(IOneInboxDb db, WorkspaceContext workspace) : IQueryHandler<ListAuditEvents, CursorPage<AuditEventDto>>
{
    public async ValueTask<CursorPage<AuditEventDto>> Handle(ListAuditEvents query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var events = db.AuditEvents.AsNoTracking().Where(e => e.WorkspaceId == workspace.WorkspaceId);
        if (Cursor.TryDecode(query.Cursor, out var last))
            events = events.Where(e => e.Id < last);
        if (!string.IsNullOrWhiteSpace(query.Action))
            events = events.Where(e => e.Action == query.Action);
        var rows = await events.OrderByDescending(e => e.Id).Take(limit + 1)
            .Select(e => new AuditEventDto(e.Id, e.Action, e.Actor, e.Target, e.IpAddress, e.Details, e.OccurredAt))
            .ToListAsync(cancellationToken);
        return Cursor.Page(rows, limit, e => e.Id);
    }
}
