using OneInbox.Application.Channels;

namespace OneInbox.Infrastructure.Channels;

/// <summary>
/// Media bytes under &lt;DataPath&gt;/attachments/&lt;workspace&gt;/&lt;id&gt;. The storage key names the workspace,
/// so one workspace's key never opens another's file by accident of a guessed id.
/// </summary>
internal sealed class FileAttachmentStore(StorageSettings storage) : IChannelAttachmentStore
{
    public async ValueTask<string> SaveAsync(Guid workspaceId, Stream content, string? fileName, string? contentType, CancellationToken cancellationToken)
    {
        var key = $"{workspaceId:N}/{Guid.CreateVersion7():N}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".part";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            await content.CopyToAsync(file, cancellationToken);
        File.Move(temporary, path);
        return key;
    }

    public ValueTask<Stream> OpenReadAsync(string storageKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new FileStream(PathOf(storageKey), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));

    private string PathOf(string storageKey)
    {
        var parts = storageKey.Split('/');
        if (parts.Length != 2 || !parts.All(p => p.Length == 32 && p.All(char.IsAsciiHexDigit)))
            throw new ArgumentException("Not a storage key of this store.", nameof(storageKey));
        return Path.Combine(storage.DataPath, "attachments", parts[0], parts[1]);
    }
}
