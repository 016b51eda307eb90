namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// Claimed rows as units of work: one workspace each, spread over the workers, at most <paramref name="maxUnit"/>
/// long. A quiet moment gives one row per unit (no added latency); a backlog gives longer units, and each unit
/// costs one round of reads and one commit however many rows it holds.
/// </summary>
public static class ClaimUnits
{
    public static IEnumerable<ClaimedRow[]> Of(IReadOnlyList<ClaimedRow> claimed, int workers, int maxUnit)
    {
        var size = Math.Clamp((claimed.Count + workers - 1) / workers, 1, maxUnit);
        return claimed.GroupBy(r => r.WorkspaceId).SelectMany(workspace => workspace.Chunk(size));
    }
}
