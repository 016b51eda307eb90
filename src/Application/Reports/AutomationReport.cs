using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Flows;
using OneInbox.Domain.Reports;

namespace OneInbox.Application.Reports;

/// <summary>How many hand-offs had one cause, at one node (empty: the run, not a step).</summary>
public sealed record HandOffReasonDto(string Category, string NodeId, int Count);

/// <summary>
/// One flow version's runs in the range. <paramref name="Containment"/>: the share of started runs that did not give the
/// conversation to people (null when none started).
/// </summary>
public sealed record FlowRunsDto(
    Guid FlowId, string Name, int Version, int Started, int Completed, int HandedOff, int Faulted, int Cancelled, int TimedOut, int InvalidAnswers,
    double? Containment, IReadOnlyList<HandOffReasonDto> HandOffReasons, SatisfactionDto Satisfaction);

public sealed record AutomationReportDto(
    DateTimeOffset From, DateTimeOffset To, int Started, int HandedOff, double? Containment, IReadOnlyList<HandOffReasonDto> HandOffReasons,
    IReadOnlyList<FlowRunsDto> Flows);

/// <summary>
/// What the bots did in the range, per flow and version: runs started, completed, handed to people (and why, as a
/// category and the node), faulted, stopped, questions timed out and answers refused, and the containment rate. Read
/// from the flow aggregates, which hold counts only.
/// </summary>
public sealed record AutomationReport(DateTimeOffset From, DateTimeOffset To) : IReportRange, IQuery<AutomationReportDto>;

/// <summary>A node of the funnel: arrivals, the outcomes they left by, and what stopped there.</summary>
/// <param name="Stopped">Arrivals that did not leave (yet): waiting at the node, handed off, failed or stopped there.</param>
public sealed record FunnelNodeDto(
    string NodeId, string Type, int Reached, IReadOnlyDictionary<string, int> Outcomes, int Stopped, int HandedOff, int Faulted, int Cancelled,
    int InvalidAnswers, int TimedOut);

/// <summary>An edge of the flow and how many runs took it.</summary>
public sealed record FunnelEdgeDto(string Source, string Outcome, string Target, int Count);

public sealed record FlowFunnelDto(
    Guid FlowId, string Name, int Version, DateTimeOffset From, DateTimeOffset To, int Started, int Completed,
    IReadOnlyList<FunnelNodeDto> Nodes, IReadOnlyList<FunnelEdgeDto> Edges);

/// <summary>
/// A flow version's per-node funnel in the range: how many runs reached each node, which outcome they left by, where
/// they stopped, refused answers and timeouts per question; the edges carry their counts, for the designer's overlay.
/// Without a version: the published one (else the latest).
/// </summary>
public sealed record FlowFunnel(Guid FlowId, int? Version, DateTimeOffset From, DateTimeOffset To) : IReportRange, IQuery<FlowFunnelDto>;

public sealed class AutomationReportValidator : AbstractValidator<AutomationReport>
{
    public AutomationReportValidator()
    {
        Include(new ReportRangeRules());
    }
}

public sealed class FlowFunnelValidator : AbstractValidator<FlowFunnel>
{
    public FlowFunnelValidator()
    {
        Include(new ReportRangeRules());
        RuleFor(q => q.Version).GreaterThan(0).When(q => q.Version is not null);
    }
}

/// <summary>The one way flow counts of a range are read: compacted hours plus the deltas not folded yet.</summary>
public static class FlowCountsQuery
{
    public static async Task<List<(FlowHourKey Key, int Count)>> ReadAsync(
        IOneInboxDb db, DateTimeOffset from, DateTimeOffset to, Guid? flowId, int? version, CancellationToken cancellationToken)
    {
        from = ReportCounts.HourOf(from);
        var hours = db.FlowReportHours.AsNoTracking().Where(h => h.HourStart >= from && h.HourStart < to);
        var deltas = db.FlowReportDeltas.AsNoTracking().Where(d => d.HourStart >= from && d.HourStart < to);
        if (flowId is { } flow)
        {
            hours = hours.Where(h => h.FlowId == flow);
            deltas = deltas.Where(d => d.FlowId == flow);
        }
        if (version is { } v)
        {
            hours = hours.Where(h => h.Version == v);
            deltas = deltas.Where(d => d.Version == v);
        }
        await using var snapshot = await db.ReadSnapshotAsync(cancellationToken);
        var summed = await hours.GroupBy(h => new { h.FlowId, h.Version, h.Kind, h.NodeId, h.Outcome })
            .Select(g => new { g.Key.FlowId, g.Key.Version, g.Key.Kind, g.Key.NodeId, g.Key.Outcome, Count = g.Sum(h => h.Count) })
            .ToListAsync(cancellationToken);
        var rows = summed.Select(r => (new FlowHourKey(from, r.FlowId, r.Version, r.Kind, r.NodeId, r.Outcome), r.Count)).ToList();
        foreach (var delta in await deltas.ToListAsync(cancellationToken))
            rows.AddRange(delta.Read().Select(r => (r.Key with { HourStart = from }, r.Count)));
        return rows;
    }

    public static int Total(this IEnumerable<(FlowHourKey Key, int Count)> rows, FlowCountKind kind, string? outcome = null) =>
        rows.Where(r => r.Key.Kind == kind && (outcome is null || r.Key.Outcome == outcome)).Sum(r => r.Count);

    public static IReadOnlyList<HandOffReasonDto> Reasons(IEnumerable<(FlowHourKey Key, int Count)> rows) =>
        [.. rows.Where(r => r.Key.Kind == FlowCountKind.HandedOff)
            .GroupBy(r => (r.Key.Outcome, r.Key.NodeId))
            .Select(g => new HandOffReasonDto(g.Key.Outcome, g.Key.NodeId, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Category, StringComparer.Ordinal).ThenBy(r => r.NodeId, StringComparer.Ordinal)];

    /// <summary>The ratings customers gave in the flow's rating steps (each counted under its score).</summary>
    public static SatisfactionDto Satisfaction(IEnumerable<(FlowHourKey Key, int Count)> rows)
    {
        var scores = rows.Where(r => r.Key.Kind == FlowCountKind.Rated)
            .Select(r => (Score: int.Parse(r.Key.Outcome, System.Globalization.CultureInfo.InvariantCulture), r.Count)).ToList();
        return SatisfactionDto.Of(scores.Sum(s => s.Count), scores.Sum(s => s.Score * s.Count), scores.Where(s => s.Score >= 4).Sum(s => s.Count));
    }

    public static double? Containment(int started, int handedOff) =>
        started == 0 ? null : Math.Round(Math.Max(0, started - handedOff) / (double)started, 4);
}

public sealed class AutomationReportHandler(IOneInboxDb db) : IQueryHandler<AutomationReport, AutomationReportDto>
{
    public async ValueTask<AutomationReportDto> Handle(AutomationReport query, CancellationToken cancellationToken)
    {
        var rows = await FlowCountsQuery.ReadAsync(db, query.From, query.To, null, null, cancellationToken);
        var names = await db.Flows.AsNoTracking().ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);
        var flows = rows.GroupBy(r => (r.Key.FlowId, r.Key.Version))
            .Select(g =>
            {
                var started = g.Total(FlowCountKind.Started);
                var handedOff = g.Total(FlowCountKind.HandedOff);
                return new FlowRunsDto(g.Key.FlowId, names.GetValueOrDefault(g.Key.FlowId) ?? "a deleted flow", g.Key.Version, started,
                    g.Total(FlowCountKind.Completed), handedOff, g.Total(FlowCountKind.Faulted), g.Total(FlowCountKind.Cancelled),
                    g.Total(FlowCountKind.Left, AskQuestionOutcomes.Timeout), g.Total(FlowCountKind.Retried) + g.Total(FlowCountKind.Left, AskQuestionOutcomes.Invalid),
                    FlowCountsQuery.Containment(started, handedOff), FlowCountsQuery.Reasons(g), FlowCountsQuery.Satisfaction(g));
            })
            .OrderByDescending(f => f.Started).ThenBy(f => f.Name, StringComparer.Ordinal).ThenByDescending(f => f.Version)
            .ToList();
        var allStarted = rows.Total(FlowCountKind.Started);
        var allHandedOff = rows.Total(FlowCountKind.HandedOff);
        return new AutomationReportDto(query.From, query.To, allStarted, allHandedOff, FlowCountsQuery.Containment(allStarted, allHandedOff),
            FlowCountsQuery.Reasons(rows), flows);
    }
}

public sealed class FlowFunnelHandler(IOneInboxDb db) : IQueryHandler<FlowFunnel, FlowFunnelDto>
{
    public async ValueTask<FlowFunnelDto> Handle(FlowFunnel query, CancellationToken cancellationToken)
    {
        var flow = await db.Flows.AsNoTracking().FirstOrDefaultAsync(f => f.Id == query.FlowId, cancellationToken)
            ?? throw new NotFoundException("Flow", query.FlowId);
        var number = query.Version ?? flow.PublishedVersion ?? await db.FlowVersions.Where(v => v.FlowId == flow.Id).MaxAsync(v => (int?)v.Version, cancellationToken)
            ?? throw new UnprocessableException("report.unpublished", "The flow has never been published, so it has no runs to report.");
        var version = await db.FlowVersions.AsNoTracking().FirstOrDefaultAsync(v => v.FlowId == flow.Id && v.Version == number, cancellationToken)
            ?? throw new NotFoundException("Flow version", number);
        // A published graph always parses; an unreadable one reports its counts under "removed" nodes.
        _ = FlowGraph.TryParse(version.Graph, out var graph, out _);

        var rows = await FlowCountsQuery.ReadAsync(db, query.From, query.To, flow.Id, number, cancellationToken);
        var byNode = rows.Where(r => r.Key.NodeId.Length > 0).ToLookup(r => r.Key.NodeId);
        var nodes = graph.Nodes.Select(n => n.Id).Concat(byNode.Select(g => g.Key).Where(id => graph.Nodes.All(n => n.Id != id)))
            .Select(id =>
            {
                var counts = byNode[id].ToList();
                var outcomes = counts.Where(c => c.Key.Kind == FlowCountKind.Left).GroupBy(c => c.Key.Outcome)
                    .ToDictionary(g => g.Key, g => g.Sum(c => c.Count), StringComparer.Ordinal);
                var reached = counts.Total(FlowCountKind.Reached);
                return new FunnelNodeDto(id, graph.Nodes.FirstOrDefault(n => n.Id == id)?.Type ?? "removed", reached, outcomes,
                    Math.Max(0, reached - outcomes.Values.Sum()), counts.Total(FlowCountKind.HandedOff), counts.Total(FlowCountKind.Faulted),
                    counts.Total(FlowCountKind.Cancelled), counts.Total(FlowCountKind.Retried) + outcomes.GetValueOrDefault(AskQuestionOutcomes.Invalid),
                    outcomes.GetValueOrDefault(AskQuestionOutcomes.Timeout));
            })
            .ToList();
        var edges = graph.Edges
            .Select(e => new FunnelEdgeDto(e.Source, e.SourcePort, e.Target,
                nodes.FirstOrDefault(n => n.NodeId == e.Source)?.Outcomes.GetValueOrDefault(e.SourcePort) ?? 0))
            .ToList();
        return new FlowFunnelDto(flow.Id, flow.Name, number, query.From, query.To, rows.Total(FlowCountKind.Started), rows.Total(FlowCountKind.Completed), nodes, edges);
    }
}

/// <summary>The question outcomes reports single out (the engine's names; the Application does not reference the engine).</summary>
public static class AskQuestionOutcomes
{
    public const string Invalid = "invalid";
    public const string Timeout = "timeout";
}
