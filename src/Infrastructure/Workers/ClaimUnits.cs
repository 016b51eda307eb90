namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// Claimed rows as units of work: one workspace each, spread over the workers, about <paramref name="maxUnit"/>
/// long at most. A quiet moment gives one row per unit (no added latency); a backlog gives longer units, and each
/// unit costs one round of reads and one commit however many rows it holds. Rows that share an order key stay
/// together in one unit, in claim order, so nothing of theirs runs side by side or overtakes.
/// </summary>
public static class ClaimUnits
{
    public static IEnumerable<ClaimedRow[]> Of(IReadOnlyList<ClaimedRow> claimed, int workers, int maxUnit)
    {
        var size = Math.Clamp((claimed.Count + workers - 1) / workers, 1, maxUnit);
        foreach (var workspace in claimed.GroupBy(r => r.WorkspaceId))
        {
            var unit = new List<ClaimedRow>();
            foreach (var ordered in workspace.GroupBy(r => r.OrderGroup))
            {
                if (unit.Count > 0 && unit.Count + ordered.Count() > size)
                {
                    yield return [.. unit];
                    unit.Clear();
                }
                unit.AddRange(ordered);
            }
            if (unit.Count > 0)
                yield return [.. unit];
        }
    }
}
