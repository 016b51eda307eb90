using CsvHelper;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

public sealed record AuditEventDto(
    Guid Id, string Action, string? Actor, string? Target, string? IpAddress, string? Details, DateTimeOffset OccurredAt,
    Guid? SubjectContactId, string? UserAgent, string? Client);

/// <summary>
/// Which audit events: the action, who acted (a user id, an integration client), the contact concerned (events about
/// the contact itself and about its conversations), and a time range [from, to).
/// </summary>
public sealed record AuditEventFilter(string? Action = null, string? Actor = null, Guid? ContactId = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    internal async Task<IQueryable<AuditEvent>> ApplyAsync(IOneInboxDb db, Guid workspaceId, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking().Where(e => e.WorkspaceId == workspaceId);
        if (!string.IsNullOrWhiteSpace(Action))
            events = events.Where(e => e.Action == Action);
        if (!string.IsNullOrWhiteSpace(Actor))
            events = events.Where(e => e.Actor == Actor);
        if (From is { } from)
            events = events.Where(e => e.OccurredAt >= from);
        if (To is { } to)
            events = events.Where(e => e.OccurredAt < to);
        if (ContactId is { } contactId)
        {
            // A conversation's messages are read by the conversation's id: those reads concern its contact too.
            var conversations = (await db.Conversations.AsNoTracking().Where(c => c.ContactId == contactId).Select(c => c.Id).ToListAsync(cancellationToken))
                .Select(id => $"conversation:{id}").ToList();
            events = events.Where(e => e.SubjectContactId == contactId || (e.Target != null && conversations.Contains(e.Target)));
        }
        return events;
    }
}

public sealed class AuditEventFilterValidator : AbstractValidator<AuditEventFilter>
{
    public AuditEventFilterValidator()
    {
        RuleFor(f => f.Action).MaximumLength(100);
        RuleFor(f => f.Actor).MaximumLength(200);
        RuleFor(f => f.To).GreaterThan(f => f.From).When(f => f.From is not null && f.To is not null).WithMessage("'to' must be after 'from'.");
    }
}

/// <summary>The workspace's audit log, newest first: security events and access to personal data.</summary>
public sealed record ListAuditEvents(AuditEventFilter Filter, string? Cursor, int? Limit) : IQuery<CursorPage<AuditEventDto>>;

public sealed class ListAuditEventsValidator : AbstractValidator<ListAuditEvents>
{
    public ListAuditEventsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.Cursor).Must(Cursor.IsValid).WithMessage("The cursor is not one this API issued.");
        RuleFor(q => q.Filter).SetValidator(new AuditEventFilterValidator());
    }
}

public sealed class ListAuditEventsHandler(IOneInboxDb db, WorkspaceContext workspace) : IQueryHandler<ListAuditEvents, CursorPage<AuditEventDto>>
{
    public async ValueTask<CursorPage<AuditEventDto>> Handle(ListAuditEvents query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var events = await query.Filter.ApplyAsync(db, workspace.WorkspaceId, cancellationToken);
        if (Cursor.TryDecode(query.Cursor, out var last))
            events = events.Where(e => e.Id < last);
        var rows = await events.OrderByDescending(e => e.Id).Take(limit + 1)
            .Select(e => new AuditEventDto(e.Id, e.Action, e.Actor, e.Target, e.IpAddress, e.Details, e.OccurredAt, e.SubjectContactId, e.UserAgent, e.Client))
            .ToListAsync(cancellationToken);
        return Cursor.Page(rows, limit, e => e.Id);
    }
}

/// <summary>The same events as CSV for an auditor's records, newest first, streamed row by row.</summary>
public sealed record ExportAuditEvents(AuditEventFilter Filter, Stream Output) : ICommand<int>;

public sealed class ExportAuditEventsValidator : AbstractValidator<ExportAuditEvents>
{
    public ExportAuditEventsValidator() => RuleFor(c => c.Filter).SetValidator(new AuditEventFilterValidator());
}

public sealed class ExportAuditEventsHandler(IOneInboxDb db, WorkspaceContext workspace) : ICommandHandler<ExportAuditEvents, int>
{
    public async ValueTask<int> Handle(ExportAuditEvents command, CancellationToken cancellationToken)
    {
        // User agents are sent by whoever calls: a spreadsheet must not run one as a formula.
        await using var csv = CsvWriter.Create(command.Output, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        csv.WriteHeader(["occurredAt", "action", "actor", "target", "subjectContactId", "client", "ipAddress", "userAgent", "details"]);
        var events = await command.Filter.ApplyAsync(db, workspace.WorkspaceId, cancellationToken);
        var count = 0;
        await foreach (var e in events.OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await csv.WriteRecordAsync([
                e.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), e.Action, e.Actor ?? string.Empty, e.Target ?? string.Empty,
                e.SubjectContactId?.ToString() ?? string.Empty, e.Client ?? string.Empty, e.IpAddress ?? string.Empty, e.UserAgent ?? string.Empty,
                e.Details ?? string.Empty], cancellationToken);
            count++;
        }
        await csv.FlushAsync(cancellationToken);
        return count;
    }
}
