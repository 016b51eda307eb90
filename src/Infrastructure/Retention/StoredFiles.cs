using System.Text.RegularExpressions;

namespace OneInbox.Infrastructure.Retention;

/// <summary>
/// The attachment files of the data folder, as the purge sees them: both stores (uploads and channel media) keep them
/// under attachments/&lt;workspace&gt;/, and their storage keys are checked before they become paths.
/// </summary>
internal sealed partial class StoredFiles(StorageSettings storage)
{
    private string Root => Path.Combine(storage.DataPath, "attachments");

    /// <summary>Deletes the file of a storage key; false when the key is not one of ours or the file is gone already.</summary>
    public bool Delete(string storageKey)
    {
        if (!KeyPattern().IsMatch(storageKey))
            return false;
        var path = Path.Combine(Root, storageKey.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    /// <summary>Every file of a workspace (its closure's last step); how many were removed.</summary>
    public int DeleteWorkspace(Guid workspaceId)
    {
        var folder = Path.Combine(Root, workspaceId.ToString("N"));
        if (!Directory.Exists(folder))
            return 0;
        var count = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(folder, recursive: true);
        return count;
    }

    [GeneratedRegex("^[0-9a-f]{32}/([0-9]{4}-[0-9]{2}/)?[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}
