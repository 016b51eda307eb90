using System.Text.Json;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>
/// Turns an outbound inbox message into the outbox row the channel dispatcher delivers: the one place it is made,
/// for agents' replies and for what flows send, staged with the message on the same unit of work. The first reply
/// after the customer wrote carries the read receipt of their message.
/// </summary>
public static class Outbox
{
    public static OutboxMessage For(Conversation conversation, Message message, TimeProvider clock, IReadOnlyList<OutboundButton>? buttons = null,
        OutboundTemplate? template = null)
    {
        var outbound = new OutboundMessage(
            message.Id,
            conversation.ConversationKey,
            message.Kind,
            message.Text,
            buttons ?? [],
            message.Attachments
                .Where(a => a.StorageKey is not null || a.Url is not null)
                .Select(a => new OutboundAttachment(a.Kind, a.StorageKey, a.FileName ?? "attachment", a.ContentType ?? "application/octet-stream", a.Url))
                .ToList(),
            template,
            conversation.TakeUnreadCustomerMessage());
        return OutboxMessage.Create(conversation.ConnectionId, message.Id, JsonSerializer.Serialize(outbound), clock);
    }
}

/// <summary>The channel's rule for free-form messages, checked for agents and flows alike before anything is stored.</summary>
public static class ReplyWindow
{
    public static void EnsureOpen(Conversation conversation, ChannelModules modules, TimeProvider clock)
    {
        if (!conversation.AcceptsFreeFormReply(modules.Find(conversation.Channel)?.ReplyWindow, clock.GetUtcNow()))
            throw new UnprocessableException("conversation.window_closed",
                "The customer last wrote more than 24 hours ago: WhatsApp accepts only an approved template now. "
                + "List them with GET /api/v1/channels/{connectionId}/templates and send one as {\"template\": {\"name\", \"language\", \"parameters\"}}.");
    }
}
