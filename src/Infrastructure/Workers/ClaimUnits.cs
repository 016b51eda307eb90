namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// Claimed rows as units of work: one workspace each, spread over the workers, about <paramref name="maxUnit"/>
/// long at most. Each unit costs one round of reads and one commit however many rows it holds, so a claim is cut
/// into units of at least half the largest before it is spread further: a claim of a few dozen rows makes two or
/// three units, not one per worker, and only a backlog of at least half a unit per worker keeps every worker busy
/// (ADR 0023). A claim of one row is one unit of one row (no added latency). Rows that share an order key stay
/// together in one unit, in claim order, so nothing of theirs runs side by side or overtakes.
/// </summary>
public static class ClaimUnits
{
    public static IEnumerable<ClaimedRow[]> Of(IReadOnlyList<ClaimedRow> claimed, int workers, int maxUnit)
    {
        var size = Math.Clamp((claimed.Count + workers - 1) / workers, (maxUnit + 1) / 2, maxUnit);
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
