using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>Builds, opens and removes the export files of access and portability requests. Implemented by Infrastructure.</summary>
public interface IPrivacyExportFiles
{
    /// <summary>Builds the person's zip and stores it sealed under their data key; returns the storage key and size.</summary>
    Task<(string StorageKey, long SizeBytes)> BuildAsync(Guid workspaceId, Guid contactId, CancellationToken cancellationToken);

    /// <summary>The zip's bytes, or null when the file or the person's key is gone (erased).</summary>
    Task<byte[]?> OpenAsync(PrivacyExport export, CancellationToken cancellationToken);

    Task DeleteAsync(string storageKey, CancellationToken cancellationToken);
}
