namespace OneInbox.Application.Retention;

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
