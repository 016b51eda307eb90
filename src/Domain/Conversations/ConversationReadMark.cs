using OneInbox.Domain.Common;
using OneInbox.Domain.Conversations.Events;

namespace OneInbox.Domain.Conversations;

/// <summary>
/// How far one member has read one conversation. Unread counts are per member, so two agents looking at
/// the same conversation each see what is new to them; one row per member and conversation.
/// </summary>
public sealed class ConversationReadMark : TenantEntity
{
    private ConversationReadMark(Guid conversationId, Guid userId, DateTimeOffset lastReadAt)
    {
        ConversationId = conversationId;
        UserId = userId;
        LastReadAt = lastReadAt;
    }

    public Guid ConversationId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>Customer messages created after this are unread for the member.</summary>
    public DateTimeOffset LastReadAt { get; private set; }

    public static ConversationReadMark First(Guid conversationId, Guid userId, TimeProvider clock)
    {
        var mark = new ConversationReadMark(conversationId, userId, clock.GetUtcNow());
        mark.Raise(new ConversationRead(conversationId, userId));
        return mark;
    }

    /// <summary>
    /// The member read it now. Never moves backwards, so a stale tab cannot resurrect read messages; the member's
    /// other tabs hear of it even when the time did not move, since whatever they show is read now.
    /// </summary>
    public void MarkRead(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (now > LastReadAt)
            LastReadAt = now;
        Raise(new ConversationRead(ConversationId, UserId));
    }
}
