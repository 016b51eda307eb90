namespace OneInbox.Application.Attachments;

/// <summary>
/// Where attachment bytes live, the one store for every file: agents' uploads, customers' media downloaded by
/// the channels, what the senders upload to providers, exports and erasure. The local data folder by default,
/// object storage later. Keys are made by the store, never from user input.
/// </summary>
public interface IAttachmentStore
{
    /// <summary>
    /// Streams the content into the store under a new key of the workspace. Throws
    /// <see cref="AttachmentTooLargeException"/> (and keeps nothing) once more than maxBytes arrive.
    /// </summary>
    Task<StoredFile> SaveAsync(Guid workspaceId, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The bytes under the key, or null when they are gone.</summary>
    Task<Stream?> OpenReadAsync(string storageKey, CancellationToken cancellationToken);

    /// <summary>Removes the bytes under the key; false when they were gone already or the key is not one of this store's.</summary>
    Task<bool> DeleteAsync(string storageKey, CancellationToken cancellationToken);

    /// <summary>Removes every file of the workspace (its final purge); the number removed.</summary>
    Task<int> DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken);
}

/// <param name="Head">The first bytes, for content sniffing.</param>
public sealed record StoredFile(string StorageKey, long SizeBytes, byte[] Head);

public static class AttachmentStoreExtensions
{
    /// <summary>The bytes under the key for sending; <see cref="AttachmentMissingException"/> when they are gone.</summary>
    public static async Task<Stream> OpenRequiredAsync(this IAttachmentStore store, string storageKey, CancellationToken cancellationToken) =>
        await store.OpenReadAsync(storageKey, cancellationToken) ?? throw new AttachmentMissingException();
}

/// <summary>
/// A message refers to a file the store no longer has (deleted, or lost with a disk). Sending it can never
/// succeed: the dispatcher fails the message for good with <see cref="ReasonCode"/> instead of retrying.
/// </summary>
public sealed class AttachmentMissingException() : Exception("A file of the message is no longer in attachment storage.")
{
    public const string ReasonCode = "attachment_missing";
}

public sealed class AttachmentTooLargeException(long maxBytes)
    : Exception($"The attachment is larger than the {maxBytes} bytes allowed.")
{
    public long MaxBytes { get; } = maxBytes;
}
