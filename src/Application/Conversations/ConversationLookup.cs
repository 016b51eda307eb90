using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>Loading shared by the conversation use cases; another workspace's conversation is simply not found.</summary>
public static class ConversationLookup
{
    public static async Task<Conversation> GetConversationAsync(this IOneInboxDb db, Guid conversationId, CancellationToken cancellationToken) =>
        await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken)
        ?? throw new NotFoundException("Conversation", conversationId);

    /// <summary>The conversation as <paramref name="readerId"/> sees it (their unread count).</summary>
    public static async Task<ConversationDto> ReadConversationAsync(this IOneInboxDb db, Guid conversationId, Guid? readerId, CancellationToken cancellationToken) =>
        await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId).ProjectToDto(db, readerId).FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Conversation", conversationId);

    /// <summary>Adds the history line a change produced, if it produced one.</summary>
    public static void Record(this IOneInboxDb db, Message? historyLine)
    {
        if (historyLine is not null)
            db.Messages.Add(historyLine);
    }
}
