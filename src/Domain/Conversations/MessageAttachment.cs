using OneInbox.Domain.Channels;

namespace OneInbox.Domain.Conversations;

/// <summary>
/// What a message carries besides text. The bytes live in the attachment store under StorageKey; a
/// provider's file id stands in until they are downloaded.
/// </summary>
public sealed record MessageAttachment(
    MessageKind Kind,
    string? StorageKey,
    string? ProviderFileId,
    string? FileName,
    string? ContentType,
    long? SizeBytes);
