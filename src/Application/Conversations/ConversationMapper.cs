using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;
using Riok.Mapperly.Abstractions;

namespace OneInbox.Application.Conversations;

[Mapper]
public static partial class ConversationMapper
{
    public static partial IQueryable<MessageDto> ProjectToDto(this IQueryable<Message> messages);

    public static partial MessageDto ToDto(this Message message);

    /// <summary>
    /// The inbox shows who each conversation is with, so the projection joins the contact's name; Mapperly
    /// maps single sources only, hence this one by hand.
    /// </summary>
    public static IQueryable<ConversationDto> ProjectToDto(this IQueryable<Conversation> conversations, IQueryable<Contact> contacts) =>
        conversations.Join(contacts, c => c.ContactId, p => p.Id, (c, p) => new ConversationDto(
            c.Id, c.ContactId, p.DisplayName, c.ConnectionId, c.Channel, c.Status, c.SnoozedUntil, c.Priority, c.AssigneeId, c.TeamId,
            c.Labels, c.WaitingSince, c.FirstResponseAt, c.ResolvedAt, c.LastActivityAt, c.CreatedAt, c.UpdatedAt,
            c.HandedOffAt == null ? null : new HandOffView(c.HandOffReason, c.HandOffSummary, c.HandedOffAt.Value)));
}
