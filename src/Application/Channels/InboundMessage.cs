using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// A customer's message as every channel adapter hands it to the inbox: the provider's payload mapped to
/// one shape. Produced by adapters (Telegram update, WhatsApp webhook, Discord gateway event, API channel).
/// </summary>
/// <param name="ProviderMessageId">Unique per connection; the key that makes receiving idempotent.</param>
/// <param name="Sender">Who wrote it, as the channel knows them.</param>
/// <param name="ConversationKey">Where replies go on the channel (Telegram chat id, WhatsApp wa_id, Discord channel id).</param>
/// <param name="EditOf">For an edited message, the provider id of the message it replaces.</param>
/// <param name="ReplyTo">The provider id of the message this one answers (ours or the customer's).</param>
/// <param name="ReactionTo">For a reaction, the provider id of the message reacted to; Text carries the emoji (empty: removed).</param>
public sealed record InboundMessage(
    string ProviderMessageId,
    ChannelSender Sender,
    string ConversationKey,
    MessageKind Kind,
    string? Text,
    DateTimeOffset SentAt,
    IReadOnlyList<InboundAttachment> Attachments,
    InboundLocation? Location = null,
    InboundContactCard? ContactCard = null,
    string? ButtonPayload = null,
    string? EditOf = null,
    string? ReplyTo = null,
    string? ReactionTo = null);

/// <param name="ExternalId">The stable id of the account on the channel (Telegram user id, wa_id, Discord user id).</param>
public sealed record ChannelSender(string ExternalId, string? DisplayName, string? Username, string? PhoneNumber, string? Locale);

/// <param name="StorageKey">Where the attachment store keeps the bytes, once downloaded; null while only the provider has them.</param>
/// <param name="ProviderFileId">The provider's handle for downloading it (Telegram file_id, WhatsApp media id).</param>
public sealed record InboundAttachment(
    MessageKind Kind,
    string? ProviderFileId,
    string? StorageKey,
    string? FileName,
    string? ContentType,
    long? SizeBytes);

public sealed record InboundLocation(double Latitude, double Longitude, string? Name, string? Address);

public sealed record InboundContactCard(string DisplayName, string? PhoneNumber);
