namespace OneInbox.Application.Retention;

/// <summary>What one purge of a workspace deleted, and how long it took.</summary>
public sealed record PurgeReport(
    Guid WorkspaceId, int Messages, int Files, int JournalEntries, int ProcessedPayloads, int AuditEvents,
    bool Held, double ElapsedMs, DateTimeOffset FinishedAt)
{
    public const string AuditAction = "retention.purged";

    /// <summary>The audit event's details: counts and duration only, never what was deleted.</summary>
    public string Details() =>
        $"messages={Messages};files={Files};journal={JournalEntries};payloads={ProcessedPayloads};audit={AuditEvents};held={(Held ? "workspace" : "no")};ms={ElapsedMs:0}";
}

/// <summary>The purge job (Infrastructure): deletes what the workspace's retention settings say has expired.</summary>
public interface IRetentionPurge
{
    /// <summary>Purges one workspace now, holding the installation's purge lock (one purge at a time in a cluster).</summary>
    Task<PurgeReport> PurgeWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>
    /// The nightly run over the installation: expired data of every workspace, and closed workspaces whose grace
    /// period is over erased for good. Nothing (an empty list) when another node is running it.
    /// </summary>
    Task<IReadOnlyList<PurgeReport>> PurgeAllAsync(CancellationToken cancellationToken);
}
