using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// What the business sends to a customer, as every adapter receives it from the outbox: the inbox message
/// it delivers, where to (the conversation key on the channel) and what (text, buttons, attachments).
/// Serialised into the outbox row, so it must stay a plain, versionable record.
/// </summary>
/// <param name="MarkRead">The provider id of the customer's message this reply answers, for channels that show read receipts.</param>
public sealed record OutboundMessage(
    Guid MessageId,
    string ConversationKey,
    MessageKind Kind,
    string? Text,
    IReadOnlyList<OutboundButton> Buttons,
    IReadOnlyList<OutboundAttachment> Attachments,
    OutboundTemplate? Template = null,
    string? MarkRead = null);

/// <param name="Payload">Comes back as the ButtonPayload of the customer's ButtonReply.</param>
public sealed record OutboundButton(string Title, string Payload);

/// <summary>A file to send: stored bytes (StorageKey), or a public https URL (Url) the provider fetches itself.</summary>
public sealed record OutboundAttachment(MessageKind Kind, string? StorageKey, string FileName, string ContentType, string? Url = null);
