using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;

namespace OneInbox.Application.Reviews;

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
