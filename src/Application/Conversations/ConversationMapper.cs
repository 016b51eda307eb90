using OneInbox.Application.Attachments;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;
using Riok.Mapperly.Abstractions;

namespace OneInbox.Application.Conversations;

[Mapper]
public static partial class ConversationMapper
{
    public static partial IQueryable<MessageDto> ProjectToDto(this IQueryable<Message> messages);

    [MapProperty(nameof(Message.Attachments), nameof(MessageDto.Attachments), Use = nameof(AttachmentsOf))]
    public static partial MessageDto ToDto(this Message message);

    // Storage keys and provider file ids stay inside: the API shows an attachment by its id.
    private static IReadOnlyList<AttachmentDto> AttachmentsOf(IReadOnlyList<MessageAttachment> attachments) => AttachmentDto.Of(attachments);

    /// <summary>
    /// The inbox shows who each conversation is with and how many customer messages are new to the reader,
    /// so the projection joins the contact's name and counts per row; Mapperly maps single sources only,
    /// hence this one by hand.
    /// </summary>
    public static IQueryable<ConversationDto> ProjectToDto(this IQueryable<Conversation> conversations, IOneInboxDb db, Guid? readerId)
    {
        // Integration clients have no read state: for them every customer message counts as unread.
        var reader = readerId ?? Guid.Empty;
        var messages = db.Messages;
        var marks = db.ConversationReadMarks;
        return conversations.Join(db.Contacts, c => c.ContactId, p => p.Id, (c, p) => new ConversationDto(
            c.Id, c.ContactId, p.DisplayName, c.ConnectionId, c.Channel, c.Status, c.SnoozedUntil, c.Priority, c.AssigneeId, c.TeamId,
            c.Labels, c.WaitingSince, c.FirstResponseAt, c.ResolvedAt, c.LastActivityAt, c.CreatedAt, c.UpdatedAt,
            c.HandedOffAt == null ? null : new HandOffView(c.HandOffReason, c.HandOffSummary, c.HandedOffAt.Value),
            // One correlated count over the (ConversationId, CreatedAt) index, bounded below by the reader's mark.
            messages.Count(m => m.ConversationId == c.Id && m.Direction == MessageDirection.Inbound
                && m.CreatedAt > (marks.Where(r => r.ConversationId == c.Id && r.UserId == reader)
                    .Select(r => (DateTimeOffset?)r.LastReadAt).FirstOrDefault() ?? DateTimeOffset.MinValue)),
            c.ReplyWindowEndsAt, c.Rating));
    }

    /// <summary>Conversations with customer messages the reader has not read yet.</summary>
    public static IQueryable<Conversation> UnreadBy(this IQueryable<Conversation> conversations, IOneInboxDb db, Guid? readerId)
    {
        var reader = readerId ?? Guid.Empty;
        var messages = db.Messages;
        var marks = db.ConversationReadMarks;
        return conversations.Where(c => messages.Any(m => m.ConversationId == c.Id && m.Direction == MessageDirection.Inbound
            && m.CreatedAt > (marks.Where(r => r.ConversationId == c.Id && r.UserId == reader)
                .Select(r => (DateTimeOffset?)r.LastReadAt).FirstOrDefault() ?? DateTimeOffset.MinValue)));
    }
}
