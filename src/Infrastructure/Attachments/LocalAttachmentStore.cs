using System.Buffers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Attachments;

namespace OneInbox.Infrastructure.Attachments;

/// <summary>
/// Attachments as files under the data folder: attachments/{workspace}/{yyyy-MM}/{random}. Keys are made
/// here, never from user input, and checked on the way back so a key cannot reach outside the folder.
/// </summary>
internal sealed partial class LocalAttachmentStore(StorageSettings storage, TimeProvider clock) : IAttachmentStore
{
    private readonly string _root = Path.Combine(storage.DataPath, "attachments");

    public async Task<StoredFile> SaveAsync(Guid workspaceId, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var key = $"{workspaceId:N}/{clock.GetUtcNow():yyyy-MM}/{Guid.NewGuid():N}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        var head = new List<byte>(ContentSniffer.HeadLength);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        long total = 0;
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                        throw new AttachmentTooLargeException(maxBytes);
                    if (head.Count < ContentSniffer.HeadLength)
                        head.AddRange(buffer.AsSpan(0, Math.Min(read, ContentSniffer.HeadLength - head.Count)).ToArray());
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            File.Move(partial, path);
            return new StoredFile(key, total, [.. head]);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task<Stream?> OpenReadAsync(string storageKey, CancellationToken cancellationToken)
    {
        var path = PathOf(storageKey);
        Stream? stream = File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
        return Task.FromResult(stream);
    }

    public Task<bool> DeleteAsync(string storageKey, CancellationToken cancellationToken)
    {
        if (!KeyPattern().IsMatch(storageKey))
            return Task.FromResult(false);
        var path = PathOf(storageKey);
        if (!File.Exists(path))
            return Task.FromResult(false);
        File.Delete(path);
        return Task.FromResult(true);
    }

    public Task<int> DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root, workspaceId.ToString("N"));
        if (!Directory.Exists(folder))
            return Task.FromResult(0);
        var count = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(folder, recursive: true);
        return Task.FromResult(count);
    }

    private string PathOf(string key)
    {
        if (!KeyPattern().IsMatch(key))
            throw new ArgumentException("Not a storage key of this store.", nameof(key));
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    [GeneratedRegex("^[0-9a-f]{32}/[0-9]{4}-[0-9]{2}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}

public static class AttachmentStorage
{
    /// <summary>The file-system attachment store under the data folder (the default).</summary>
    public static IServiceCollection AddLocalAttachmentStore(this IServiceCollection services) =>
        services.AddSingleton<IAttachmentStore, LocalAttachmentStore>();
}
