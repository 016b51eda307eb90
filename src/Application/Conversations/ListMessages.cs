using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Common.Paging;

namespace OneInbox.Application.Conversations;

/// <summary>
/// A conversation's history paged backwards: the latest messages first, and the cursor leads to older
/// ones, as a chat view scrolls up.
/// </summary>
public sealed record ListMessages(Guid ConversationId, string? Cursor = null, int? Limit = null) : IQuery<CursorPage<MessageDto>>;

public sealed class ListMessagesValidator : AbstractValidator<ListMessages>
{
    public ListMessagesValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Common.Paging.Cursor.MaxLimit);
        RuleFor(q => q.Cursor).Must(KeysetCursor.IsValid).WithMessage("The cursor is not one this API issued.");
    }
}

public sealed class ListMessagesHandler(IOneInboxDb db) : IQueryHandler<ListMessages, CursorPage<MessageDto>>
{
    public async ValueTask<CursorPage<MessageDto>> Handle(ListMessages query, CancellationToken cancellationToken)
    {
        if (!await db.Conversations.AnyAsync(c => c.Id == query.ConversationId, cancellationToken))
            throw new NotFoundException("Conversation", query.ConversationId);

        var limit = query.Limit ?? Cursor.DefaultLimit;
        var messages = db.Messages.AsNoTracking().Where(m => m.ConversationId == query.ConversationId);
        if (KeysetCursor.TryDecode(query.Cursor, out var at, out var id))
            messages = messages.Where(m => m.CreatedAt < at || (m.CreatedAt == at && m.Id < id));

        var rows = await messages
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(limit + 1)
            .ProjectToDto()
            .ToListAsync(cancellationToken);

        if (rows.Count <= limit)
            return new CursorPage<MessageDto>(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new CursorPage<MessageDto>(rows, KeysetCursor.Encode(rows[^1].CreatedAt, rows[^1].Id));
    }
}
