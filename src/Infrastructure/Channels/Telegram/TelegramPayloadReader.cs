using System.Globalization;
using System.Text.Json;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Telegram;

/// <summary>
/// Reads update_id and the chat id from a raw update with a forward-only reader: the receiver needs only the
/// dedupe and ordering keys, and stores the body as it came.
/// </summary>
internal sealed class TelegramPayloadReader : IInboundPayloadReader
{
    public ChannelType Channel => ChannelType.Telegram;

    public InboundKeys? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("update_id", out var id) || !id.TryGetInt64(out var updateId))
                return null;
            return new InboundKeys(updateId.ToString(CultureInfo.InvariantCulture), ConversationKey(root) ?? "update");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string? ConversationKey(JsonElement update)
    {
        foreach (var field in (string[])["message", "edited_message", "business_message", "edited_business_message", "channel_post", "edited_channel_post"])
        {
            if (update.TryGetProperty(field, out var message) && message.TryGetProperty("chat", out var chat) && chat.TryGetProperty("id", out var chatId))
                return chatId.GetRawText();
        }
        if (update.TryGetProperty("callback_query", out var callback))
        {
            if (callback.TryGetProperty("message", out var message) && message.TryGetProperty("chat", out var chat) && chat.TryGetProperty("id", out var chatId))
                return chatId.GetRawText();
            if (callback.TryGetProperty("from", out var from) && from.TryGetProperty("id", out var fromId))
                return fromId.GetRawText();
        }
        if (update.TryGetProperty("my_chat_member", out var member) && member.TryGetProperty("chat", out var memberChat) && memberChat.TryGetProperty("id", out var memberChatId))
            return memberChatId.GetRawText();
        return null;
    }
}
