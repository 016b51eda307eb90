using OneInbox.Domain.Channels;

namespace OneInbox.Domain.Conversations;

/// <summary>
/// What a message carries besides text. The bytes live in the attachment store under StorageKey, recorded
/// as the workspace's <see cref="Attachment"/> AttachmentId; a provider's file id stands in until they are
/// downloaded. A flow's media is neither: it is a public https URL (Url) that the channel hands to the
/// provider, which fetches it itself. StorageKey and ProviderFileId are internal: the API shows the attachment id.
/// </summary>
public sealed record MessageAttachment(
    MessageKind Kind,
    string? StorageKey,
    string? ProviderFileId,
    string? FileName,
    string? ContentType,
    long? SizeBytes,
    string? Url = null,
    Guid? AttachmentId = null);
