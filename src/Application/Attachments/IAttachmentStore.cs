namespace OneInbox.Application.Attachments;

/// <summary>Where attachment bytes live: the local data folder by default, object storage later.</summary>
public interface IAttachmentStore
{
    /// <summary>
    /// Streams the content into the store under a new key of the workspace. Throws
    /// <see cref="AttachmentTooLargeException"/> (and keeps nothing) once more than maxBytes arrive.
    /// </summary>
    Task<StoredFile> SaveAsync(Guid workspaceId, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The bytes under the key, or null when they are gone.</summary>
    Task<Stream?> OpenReadAsync(string storageKey, CancellationToken cancellationToken);

    Task DeleteAsync(string storageKey, CancellationToken cancellationToken);
}

/// <param name="Head">The first bytes, for content sniffing.</param>
public sealed record StoredFile(string StorageKey, long SizeBytes, byte[] Head);

public sealed class AttachmentTooLargeException(long maxBytes)
    : Exception($"The attachment is larger than the {maxBytes} bytes allowed.")
{
    public long MaxBytes { get; } = maxBytes;
}
