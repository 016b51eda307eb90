using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Paging;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>
/// The inbox: conversations by latest activity, newest first, with stable keyset paging (a conversation
/// that moves while paging is neither skipped nor repeated within the rows already ordered).
/// </summary>
public sealed record ListConversations(
    ConversationStatus? Status = null,
    Guid? AssigneeId = null,
    bool Mine = false,
    bool Unassigned = false,
    Guid? TeamId = null,
    string? Label = null,
    ChannelType? Channel = null,
    Guid? ContactId = null,
    string? Search = null,
    bool Unread = false,
    string? Cursor = null,
    int? Limit = null) : IQuery<CursorPage<ConversationDto>>;

public sealed class ListConversationsValidator : AbstractValidator<ListConversations>
{
    public ListConversationsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Common.Paging.Cursor.MaxLimit);
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Channel).IsInEnum();
        RuleFor(q => q.Label).MaximumLength(Conversation.MaxLabelLength);
        RuleFor(q => q.Search).MaximumLength(200);
        RuleFor(q => q.Cursor).Must(KeysetCursor.IsValid).WithMessage("The cursor is not one this API issued.");
        RuleFor(q => q.Unassigned).Must((q, unassigned) => !(unassigned && (q.AssigneeId is not null || q.Mine)))
            .WithMessage("'unassigned' cannot be combined with an assignee or 'mine'.");
        RuleFor(q => q.Mine).Must((q, mine) => !(mine && q.AssigneeId is not null))
            .WithMessage("'mine' cannot be combined with an assignee.");
    }
}

public sealed class ListConversationsHandler(IOneInboxDb db, ICurrentUser user) : IQueryHandler<ListConversations, CursorPage<ConversationDto>>
{
    public async ValueTask<CursorPage<ConversationDto>> Handle(ListConversations query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? Cursor.DefaultLimit;
        var conversations = db.Conversations.AsNoTracking();

        if (query.Status is { } status)
            conversations = conversations.Where(c => c.Status == status);
        if (query.Mine)
        {
            var me = user.UserId ?? throw new ValidationException([new ValidationFailure(nameof(query.Mine), "Only a signed-in member has conversations of their own.")]);
            conversations = conversations.Where(c => c.AssigneeId == me);
        }
        if (query.AssigneeId is { } assignee)
            conversations = conversations.Where(c => c.AssigneeId == assignee);
        if (query.Unassigned)
            conversations = conversations.Where(c => c.AssigneeId == null);
        if (query.TeamId is { } team)
            conversations = conversations.Where(c => c.TeamId == team);
        if (!string.IsNullOrWhiteSpace(query.Label))
        {
            var label = query.Label.Trim().ToLowerInvariant();
            conversations = conversations.Where(c => c.Labels.Contains(label));
        }
        if (query.Channel is { } channel)
            conversations = conversations.Where(c => c.Channel == channel);
        if (query.ContactId is { } contactId)
            conversations = conversations.Where(c => c.ContactId == contactId);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            var lowered = Domain.Contacts.Contact.KeyOf(term);
            var byName = db.Contacts.Where(p => p.NameKey.StartsWith(lowered) || p.Emails.Contains(lowered)).Select(p => p.Id);
            var byAccount = db.ChannelIdentities.Where(i => i.ExternalId == term || i.Username == term).Select(i => i.ContactId);
            conversations = conversations.Where(c => byName.Contains(c.ContactId) || byAccount.Contains(c.ContactId));
        }
        if (query.Unread)
            conversations = conversations.UnreadBy(db, user.UserId);
        if (KeysetCursor.TryDecode(query.Cursor, out var at, out var id))
            conversations = conversations.Where(c => c.LastActivityAt < at || (c.LastActivityAt == at && c.Id < id));

        var rows = await conversations
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)
            .Take(limit + 1)
            .ProjectToDto(db, user.UserId)
            .ToListAsync(cancellationToken);

        if (rows.Count <= limit)
            return new CursorPage<ConversationDto>(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new CursorPage<ConversationDto>(rows, KeysetCursor.Encode(rows[^1].LastActivityAt, rows[^1].Id));
    }
}
