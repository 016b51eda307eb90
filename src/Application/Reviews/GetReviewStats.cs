using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

public sealed record ReviewStatsDto(
    Guid FlowId, string? FlowName, int Version, string? NodeId, int Contested, int Upheld, int Overturned, int Open,
    double? MedianHoursToDecide, double? OverturnedShare, bool Flagged);

/// <summary>
/// Which automated decisions people dispute, per flow version and significant node: contested, upheld, overturned, open,
/// the median time to decide, and a flag where the overturned share of at least two decided cases passes the workspace's.
/// </summary>
public sealed record GetReviewStats(Guid? FlowId) : IQuery<IReadOnlyList<ReviewStatsDto>>;

public sealed class GetReviewStatsHandler(IOneInboxDb db) : IQueryHandler<GetReviewStats, IReadOnlyList<ReviewStatsDto>>
{
    public const int MinimumDecidedToFlag = 2;

    public async ValueTask<IReadOnlyList<ReviewStatsDto>> Handle(GetReviewStats query, CancellationToken cancellationToken)
    {
        var cases = db.ReviewCases.AsNoTracking().Where(c => c.FlowId != null);
        if (query.FlowId is { } flowId)
            cases = cases.Where(c => c.FlowId == flowId);
        var rows = await cases
            .Select(c => new { FlowId = c.FlowId!.Value, Version = c.FlowVersion ?? 0, c.ContestedNodeId, c.Status, c.OpenedAt, c.DecidedAt })
            .ToListAsync(cancellationToken);
        var settings = await db.GetReviewSettingsAsync(cancellationToken);
        var flowIds = rows.Select(r => r.FlowId).Distinct().ToList();
        var names = await db.Flows.AsNoTracking().Where(f => flowIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);

        return rows.GroupBy(r => (r.FlowId, r.Version, r.ContestedNodeId))
            .Select(g =>
            {
                var upheld = g.Count(r => r.Status == ReviewStatus.Upheld);
                var overturned = g.Count(r => r.Status == ReviewStatus.Overturned);
                var decided = upheld + overturned;
                var hours = g.Where(r => r.Status is ReviewStatus.Upheld or ReviewStatus.Overturned && r.DecidedAt is not null)
                    .Select(r => (r.DecidedAt!.Value - r.OpenedAt).TotalHours).Order().ToList();
                double? share = decided == 0 ? null : Math.Round((double)overturned / decided, 3);
                return new ReviewStatsDto(
                    g.Key.FlowId, names.GetValueOrDefault(g.Key.FlowId), g.Key.Version, g.Key.ContestedNodeId, g.Count(), upheld, overturned,
                    g.Count(r => r.Status is ReviewStatus.Open or ReviewStatus.InReview), Median(hours), share,
                    decided >= MinimumDecidedToFlag && share > settings.FlagShare);
            })
            .OrderByDescending(s => s.Flagged).ThenByDescending(s => s.Contested).ThenBy(s => s.FlowName).ThenBy(s => s.NodeId)
            .ToList();
    }

    private static double? Median(List<double> sorted) => sorted.Count == 0
        ? null
        : Math.Round(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 2);
}
