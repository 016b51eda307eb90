namespace OneInbox.Infrastructure;

/// <summary>Configuration section "OneInbox".</summary>
public sealed class OneInboxOptions
{
    public const string Section = "OneInbox";

    /// <summary>Folder of the embedded setup: SQLite database, keys and attachments. Relative paths are under the content root.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>Apply pending migrations when the server starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
