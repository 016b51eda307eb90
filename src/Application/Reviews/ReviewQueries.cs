using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

/// <summary>The queue: open cases first by nearest due date (overdue ones first of all), then decided ones, newest first.</summary>
public sealed record ListReviewCases(ReviewStatus? Status, bool? Overdue) : IQuery<IReadOnlyList<ReviewCaseDto>>;

public sealed class ListReviewCasesHandler(IOneInboxDb db, TimeProvider clock) : IQueryHandler<ListReviewCases, IReadOnlyList<ReviewCaseDto>>
{
    private const int MaxCases = 500;

    public async ValueTask<IReadOnlyList<ReviewCaseDto>> Handle(ListReviewCases query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cases = db.ReviewCases.AsNoTracking();
        if (query.Status is { } status)
            cases = cases.Where(c => c.Status == status);
        if (query.Overdue == true)
            cases = cases.Where(c => (c.Status == ReviewStatus.Open || c.Status == ReviewStatus.InReview) && c.DueAt < now);
        var list = await cases.OrderBy(c => c.Status == ReviewStatus.Open || c.Status == ReviewStatus.InReview ? 0 : 1)
            .ThenBy(c => c.DueAt).Take(MaxCases).ToListAsync(cancellationToken);
        var ordered = list.Where(c => c.IsOpen).OrderBy(c => c.DueAt)
            .Concat(list.Where(c => !c.IsOpen).OrderByDescending(c => c.DecidedAt)).ToList();
        return await db.ToDtosAsync(ordered, now, cancellationToken);
    }
}

/// <summary>A case with what the reviewer examines: the transcript up to the decision and each flow run of the 30 days before the case.</summary>
public sealed record GetReviewCase(Guid CaseId) : IQuery<ReviewCaseDetailDto>;

public sealed class GetReviewCaseHandler(IOneInboxDb db, TimeProvider clock) : IQueryHandler<GetReviewCase, ReviewCaseDetailDto>
{
    private const int TranscriptLines = 60;
    private const int MaxInstances = 10;

    public async ValueTask<ReviewCaseDetailDto> Handle(GetReviewCase query, CancellationToken cancellationToken)
    {
        var review = await db.ReviewCases.AsNoTracking().FirstOrDefaultAsync(r => r.Id == query.CaseId, cancellationToken)
            ?? throw new Common.Exceptions.NotFoundException("Review case", query.CaseId);
        var dto = await db.ToDtoAsync(review, clock.GetUtcNow(), cancellationToken);

        // Private notes are the team's, not part of the customer's record.
        var until = review.DecidedAt ?? clock.GetUtcNow();
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == review.ConversationId && !m.IsPrivate && m.CreatedAt <= until)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(TranscriptLines).ToListAsync(cancellationToken);
        var transcript = messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new ReviewTranscriptLineDto(m.Id, m.Direction, m.AuthorType, m.Text, m.SentAt)).ToList();

        var since = review.OpenedAt - ReviewIntake.Lookback;
        var instances = await db.FlowInstances.AsNoTracking()
            .Where(i => i.ConversationId == review.ConversationId && i.StartedAt >= since && i.StartedAt <= review.OpenedAt)
            .OrderByDescending(i => i.StartedAt).Take(MaxInstances).ToListAsync(cancellationToken);
        if (review.InstanceId is { } contested && instances.All(i => i.Id != contested)
            && await db.FlowInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == contested, cancellationToken) is { } contestedRun)
            instances.Insert(0, contestedRun);
        var ids = instances.Select(i => i.Id).ToList();
        var versionIds = instances.Select(i => i.FlowVersionId).Distinct().ToList();
        var graphs = await db.FlowVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Graph, cancellationToken);
        var flowIds = instances.Select(i => i.FlowId).Distinct().ToList();
        var names = await db.Flows.AsNoTracking().Where(f => flowIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);
        var journal = (await db.FlowJournal.AsNoTracking().Where(j => ids.Contains(j.InstanceId)).ToListAsync(cancellationToken))
            .ToLookup(j => j.InstanceId);

        var runs = instances.Select(i => new ReviewedInstanceDto(
            i.Id, i.FlowId, names.GetValueOrDefault(i.FlowId), i.Version, i.Status.ToString().ToLowerInvariant(), i.StartedAt,
            FlowProjections.Json(graphs.GetValueOrDefault(i.FlowVersionId) ?? "{}"), PathOf(i.State),
            journal[i.Id].OrderBy(j => j.Sequence).Select(j => new ReviewedJournalEntryDto(
                j.Sequence, j.NodeId, j.ActivityType, FlowProjections.Json(j.Inputs), j.Outcome, j.StartedAt, j.IsSignificant, j.Explanation,
                j.Variables is null ? null : FlowProjections.Json(j.Variables), j.MessagesSent, j.Error)).ToList())).ToList();
        return new ReviewCaseDetailDto(dto, transcript, runs);
    }

    private static List<string> PathOf(string state)
    {
        var json = FlowProjections.Json(state);
        return json.ValueKind == JsonValueKind.Object && json.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.Array
            ? path.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];
    }
}

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
