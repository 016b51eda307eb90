using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Common.Paging;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Everything that happened with a contact, newest first, across all channels: messages, conversation
/// notes, status changes and assignments, and the contact's own notes, merges and consent changes.
/// </summary>
public sealed record GetContactTimeline(Guid ContactId, string? Cursor = null, int? Limit = null) : IQuery<CursorPage<TimelineItemDto>>;

/// <param name="Type">message, note (in a conversation), event (status change, assignment), contactNote, merge or consent.</param>
public sealed record TimelineItemDto(
    Guid Id,
    string Type,
    Guid? ConversationId,
    ChannelType? Channel,
    MessageDirection? Direction,
    MessageKind? Kind,
    string? Text,
    Guid? AuthorUserId,
    DateTimeOffset CreatedAt);

public sealed class GetContactTimelineValidator : AbstractValidator<GetContactTimeline>
{
    public GetContactTimelineValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Common.Paging.Cursor.MaxLimit);
        RuleFor(q => q.Cursor).Must(KeysetCursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class GetContactTimelineHandler(IOneInboxDb db) : IQueryHandler<GetContactTimeline, CursorPage<TimelineItemDto>>
{
    public async ValueTask<CursorPage<TimelineItemDto>> Handle(GetContactTimeline query, CancellationToken cancellationToken)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == query.ContactId, cancellationToken))
            throw new NotFoundException("Contact", query.ContactId);
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var hasCursor = KeysetCursor.TryDecode(query.Cursor, out var at, out var id);

        // Two ordered sources, each cut at limit + 1 after the cursor: merging them and cutting again
        // gives exactly the next page of the combined order.
        var messages = db.Messages.AsNoTracking()
            .Join(db.Conversations.Where(c => c.ContactId == query.ContactId), m => m.ConversationId, c => c.Id, (m, c) => new { m, c.Channel });
        if (hasCursor)
            messages = messages.Where(x => x.m.CreatedAt < at || (x.m.CreatedAt == at && x.m.Id < id));
        var messageRows = await messages
            .OrderByDescending(x => x.m.CreatedAt).ThenByDescending(x => x.m.Id)
            .Take(limit + 1)
            .Select(x => new TimelineItemDto(
                x.m.Id,
                x.m.Kind == MessageKind.SystemEvent ? "event" : x.m.IsPrivate ? "note" : "message",
                x.m.ConversationId,
                x.Channel,
                x.m.Direction,
                x.m.Kind,
                x.m.Text,
                x.m.AuthorUserId,
                x.m.CreatedAt))
            .ToListAsync(cancellationToken);

        var notes = db.ContactNotes.AsNoTracking().Where(n => n.ContactId == query.ContactId);
        if (hasCursor)
            notes = notes.Where(n => n.CreatedAt < at || (n.CreatedAt == at && n.Id < id));
        var noteRows = await notes
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(limit + 1)
            .Select(n => new { n.Id, n.Kind, n.Text, n.AuthorUserId, n.CreatedAt })
            .ToListAsync(cancellationToken);

        var rows = messageRows
            .Concat(noteRows.Select(n => new TimelineItemDto(n.Id, TypeOf(n.Kind), null, null, null, null, n.Text, n.AuthorUserId, n.CreatedAt)))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Take(limit + 1)
            .ToList();

        if (rows.Count <= limit)
            return new CursorPage<TimelineItemDto>(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new CursorPage<TimelineItemDto>(rows, KeysetCursor.Encode(rows[^1].CreatedAt, rows[^1].Id));
    }

    private static string TypeOf(ContactNoteKind kind) => kind switch
    {
        ContactNoteKind.Merge => "merge",
        ContactNoteKind.Consent => "consent",
        _ => "contactNote",
    };
}
