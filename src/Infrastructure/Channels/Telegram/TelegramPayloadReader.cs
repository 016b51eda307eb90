using System.Globalization;
using System.Text.Json;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Telegram;

/// <summary>
/// Telegram's webhook: authenticated by the secret_token header we registered, one update per delivery. Reads
/// update_id and the chat id only: the receiver needs the dedupe and ordering keys, and stores the body as it came.
/// </summary>
internal sealed class TelegramPayloadReader : IInboundReceiver
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public ChannelType Channel => TelegramModule.Channel;

    public InboundRoute Route { get; } = new("/webhooks/telegram/{connectionId:guid}");

    public bool Authenticate(InboundAuth connection, InboundRequest request) =>
        AcceptInboundHandler.SecretMatches(connection.Secret, request.Header(SecretHeader));

    IReadOnlyList<InboundDelivery>? IInboundReceiver.Read(ReadOnlySpan<byte> body) =>
        Read(body) is { } keys ? [new InboundDelivery(keys.ProviderId, keys.ConversationKey)] : null;

    /// <summary>The update's keys, or null when it is not an update.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Read through the receiver instance, like the interface's Read.")]
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

internal sealed record InboundKeys(string ProviderId, string ConversationKey);
