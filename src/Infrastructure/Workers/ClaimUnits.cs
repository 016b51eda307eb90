namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// Claimed rows as units of work: one workspace each, up to <paramref name="maxUnit"/> long. Each unit costs one round
/// of reads and one commit however many rows it holds, so a claim is cut into as few units as that size allows, and
/// only a backlog of several units' worth keeps several workers busy (ADR 0023). A claim of one row is one unit of one
/// row (no added latency). Rows that share an order key stay together in one unit, in claim order, so nothing of
/// theirs runs side by side or overtakes.
/// </summary>
public static class ClaimUnits
{
    public static IEnumerable<ClaimedRow[]> Of(IReadOnlyList<ClaimedRow> claimed, int maxUnit)
    {
        foreach (var workspace in claimed.GroupBy(r => r.WorkspaceId))
        {
            var unit = new List<ClaimedRow>();
            foreach (var ordered in workspace.GroupBy(r => r.OrderGroup))
            {
                if (unit.Count > 0 && unit.Count + ordered.Count() > maxUnit)
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
