using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Reports;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Reports;

/// <summary>One bucket of a report: its local start (in the report's time zone) and what happened in it.</summary>
public sealed record ReportBucketDto(string Start, int Opened, int Resolved, int Reopened, int MessagesIn, int MessagesOut);

/// <param name="WaitingNow">Open conversations whose customer waits for an answer now.</param>
/// <param name="OldestWaitSeconds">How long the longest of them has waited.</param>
/// <param name="Time">How the durations were measured: within business hours (the workspace's calendar) or on the clock.</param>
/// <param name="Distribution">How many first responses and resolutions fell in each band of time.</param>
public sealed record ConversationReportDto(
    DateTimeOffset From, DateTimeOffset To, string TimeZone, ReportGrouping GroupBy, IReadOnlyList<ReportBucketDto> Buckets, ReportBucketDto Totals,
    ReportTime Time, DurationSummaryDto FirstResponse, DurationSummaryDto Resolution, IReadOnlyList<DistributionBandDto> Distribution,
    SatisfactionDto Satisfaction, int WaitingNow, double? OldestWaitSeconds);

/// <summary>
/// The inbox over time: conversations opened, resolved and reopened, messages in and out per bucket, and first
/// response and resolution times of the range (within business hours by default, or calendar time) with their
/// distribution, for the workspace or filtered by connection, channel, team or agent. Read from the report aggregates,
/// never from the messages. Ranges are whole UTC hours.
/// </summary>
public sealed record ConversationReport(
    DateTimeOffset From, DateTimeOffset To, string? TimeZone, ReportGrouping GroupBy,
    Guid? ConnectionId = null, ChannelType? Channel = null, Guid? TeamId = null, Guid? AgentId = null, ReportTime Time = ReportTime.Business,
    string? Label = null)
    : IReportRange, IQuery<ConversationReportDto>;

/// <summary>What every report is asked for: a range of time.</summary>
public interface IReportRange
{
    DateTimeOffset From { get; }

    DateTimeOffset To { get; }
}

/// <summary>The one rule of every report's range: it ends after it begins and spans at most <see cref="ConversationReportValidator.MaxDays"/> days.</summary>
public sealed class ReportRangeRules : AbstractValidator<IReportRange>
{
    public ReportRangeRules()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'to' must be after 'from'.");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(ConversationReportValidator.MaxDays)).WithName("to")
            .WithMessage($"A report covers at most {ConversationReportValidator.MaxDays} days.");
    }
}

public sealed class ConversationReportValidator : AbstractValidator<ConversationReport>
{
    public const int MaxDays = 400;
    public const int MaxBuckets = 2000;

    public ConversationReportValidator()
    {
        Include(new ReportRangeRules());
        RuleFor(q => q).Must(q => q.GroupBy != ReportGrouping.Hour || (q.To - q.From).TotalHours <= MaxBuckets).WithName("groupBy")
            .WithMessage($"Group by day for ranges over {MaxBuckets} hours.");
        RuleFor(q => q.GroupBy).IsInEnum();
        RuleFor(q => q.Channel).IsInEnum();
        RuleFor(q => q.Time).IsInEnum();
        RuleFor(q => q.Label!).NotEmpty().MaximumLength(Conversation.MaxLabelLength).When(q => q.Label is not null);
        RuleFor(q => q.TimeZone!).Must(z => Domain.Workspaces.BusinessHours.TryFindZone(z, out _)).When(q => q.TimeZone is not null)
            .WithMessage(q => $"Time zone '{q.TimeZone}' is unknown; use an IANA name such as Europe/Berlin.");
    }
}

public sealed class ConversationReportHandler(IOneInboxDb db, ICurrentUser user, WorkspaceContext workspace, TimeProvider clock)
    : IQueryHandler<ConversationReport, ConversationReportDto>
{
    public async ValueTask<ConversationReportDto> Handle(ConversationReport query, CancellationToken cancellationToken)
    {
        var agentId = ReportScope.AgentFor(user, query.AgentId);
        var calendar = (await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspace.WorkspaceId, cancellationToken)).Calendar;
        var zone = query.TimeZone is null ? calendar.Zone : ReportMath.ZoneOr(query.TimeZone, "UTC");
        var from = ReportCounts.HourOf(query.From);
        var to = query.To;

        // Deltas not folded yet are counted too, so a report is exact the moment after a change.
        // Unfiltered, the workspace's hourly totals answer (one row an hour); filtered, the rows per dimensions.
        var label = query.Label?.Trim().ToLowerInvariant();
        var grain = query.ConnectionId is null && query.Channel is null && query.TeamId is null && agentId is null && label is null ? ReportGrain.Total : ReportGrain.Hour;
        List<HourCounts> rows;
        await using (await db.ReadSnapshotAsync(cancellationToken))
        {
            rows = (await Hourly(db.ReportHours.Where(h => h.Grain == grain)).ToListAsync(cancellationToken))
                .Concat(await Hourly(db.ReportDeltas).ToListAsync(cancellationToken)).ToList();
        }

        var counted = rows.GroupBy(r => ReportMath.BucketOf(r.HourStart, zone, query.GroupBy)).ToDictionary(g => g.Key);
        var buckets = ReportMath.BucketsOf(from, to, zone, query.GroupBy)
            .Select(b => counted.TryGetValue(b, out var g)
                ? new ReportBucketDto(ReportMath.Label(b, query.GroupBy), g.Sum(r => r.Opened), g.Sum(r => r.Resolved), g.Sum(r => r.Reopened),
                    g.Sum(r => r.MessagesIn), g.Sum(r => r.MessagesOut))
                : new ReportBucketDto(ReportMath.Label(b, query.GroupBy), 0, 0, 0, 0, 0))
            .ToList();
        var totals = new ReportBucketDto("total", buckets.Sum(b => b.Opened), buckets.Sum(b => b.Resolved), buckets.Sum(b => b.Reopened),
            buckets.Sum(b => b.MessagesIn), buckets.Sum(b => b.MessagesOut));

        var durations = ReportFilter.Apply(db.ReportDurations.AsNoTracking(), query.ConnectionId, query.Channel, query.TeamId, agentId)
            .Where(d => d.At >= from && d.At < to);
        if (label is not null)
            durations = durations.Where(d => d.Labels.Contains("|" + label + "|"));

        IQueryable<HourCounts> Hourly<T>(IQueryable<T> source) where T : ReportCounts =>
            ReportFilter.Labelled(ReportFilter.Apply(source.AsNoTracking(), query.ConnectionId, query.Channel, query.TeamId, agentId), label)
                .Where(h => h.HourStart >= from && h.HourStart < to)
                .GroupBy(h => h.HourStart)
                .Select(g => new HourCounts(g.Key, g.Sum(h => h.Opened), g.Sum(h => h.Resolved), g.Sum(h => h.Reopened), g.Sum(h => h.MessagesIn), g.Sum(h => h.MessagesOut),
                    g.Sum(h => h.Rated), g.Sum(h => h.RatingTotal), g.Sum(h => h.Satisfied)));
        var business = query.Time == ReportTime.Business ? new BusinessTime(calendar) : null;
        var measured = (await durations.Select(d => new { d.Kind, d.Seconds, d.At }).ToListAsync(cancellationToken))
            .Select(d => (d.Kind, Seconds: ReportMath.Measured(d.Seconds, d.At, business))).ToList();
        double[] Of(ReportDurationKind kind) => [.. measured.Where(m => m.Kind == kind).Select(m => m.Seconds)];
        var firstResponses = Of(ReportDurationKind.FirstResponse);
        var resolutions = Of(ReportDurationKind.Resolution);

        var waiting = db.Conversations.AsNoTracking().Where(c => c.Status == ConversationStatus.Open && c.WaitingSince != null);
        if (query.ConnectionId is { } waitingConnection)
            waiting = waiting.Where(c => c.ConnectionId == waitingConnection);
        if (query.Channel is { } waitingChannel)
            waiting = waiting.Where(c => c.Channel == waitingChannel);
        if (query.TeamId is { } waitingTeam)
            waiting = waiting.Where(c => c.TeamId == waitingTeam);
        if (agentId is { } waitingAgent)
            waiting = waiting.Where(c => c.AssigneeId == waitingAgent);
        if (label is not null)
            waiting = waiting.Where(c => c.Labels.Contains(label));
        var since = await waiting.Select(c => c.WaitingSince!.Value).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();

        return new ConversationReportDto(query.From, query.To, zone.Id, query.GroupBy, buckets, totals, query.Time,
            ReportMath.Summarize(firstResponses), ReportMath.Summarize(resolutions), ReportMath.Distribution(firstResponses, resolutions),
            SatisfactionDto.Of(rows.Sum(r => r.Rated), rows.Sum(r => r.RatingTotal), rows.Sum(r => r.Satisfied)),
            since.Count, since.Count == 0 ? null : Math.Round((now - since.Min()).TotalSeconds, 1));
    }

    private sealed record HourCounts(
        DateTimeOffset HourStart, int Opened, int Resolved, int Reopened, int MessagesIn, int MessagesOut, int Rated, int RatingTotal, int Satisfied);
}

/// <summary>The one way report rows are narrowed to a connection, a channel, a team or an agent.</summary>
public static class ReportFilter
{
    public static IQueryable<T> Apply<T>(IQueryable<T> rows, Guid? connectionId, ChannelType? channel, Guid? teamId, Guid? agentId) where T : ReportDimensions
    {
        if (connectionId is { } connection)
            rows = rows.Where(r => r.ConnectionId == connection);
        if (channel is { } type)
            rows = rows.Where(r => r.Channel == type);
        if (teamId is { } team)
            rows = rows.Where(r => r.TeamId == team);
        if (agentId is { } agent)
            rows = rows.Where(r => r.AgentId == agent);
        return rows;
    }

    /// <summary>The rows of a label, or (none) the conversations' own rows: every other report reads those only.</summary>
    public static IQueryable<T> Labelled<T>(IQueryable<T> rows, string? label) where T : ReportCounts
    {
        var wanted = label ?? string.Empty;
        return rows.Where(r => r.Label == wanted);
    }
}

public static class ReportScope
{
    /// <summary>Agents see their own figures only: asking for another's is refused; no filter means their own.</summary>
    public static Guid? AgentFor(ICurrentUser user, Guid? asked)
    {
        if (user.Role != WorkspaceRole.Agent)
            return asked;
        var self = user.UserId ?? throw new ForbiddenException("Agents see their own figures.");
        if (asked is { } other && other != self)
            throw new ForbiddenException("Agents see their own figures only.");
        return self;
    }
}

/// <summary>A report's table as CSV (the same rows as the JSON buckets, then the totals).</summary>
public static class ReportCsv
{
    public static async Task WriteAsync(ConversationReportDto report, Stream output, CancellationToken cancellationToken)
    {
        await using var csv = CsvHelper.CsvWriter.Create(output, new CsvHelper.CsvWriterOptions { Injection = CsvHelper.CsvInjection.Escape }, true);
        csv.WriteHeader(["start", "opened", "resolved", "reopened", "messagesIn", "messagesOut"]);
        foreach (var row in report.Buckets.Append(report.Totals))
            await csv.WriteRecordAsync([row.Start, Number(row.Opened), Number(row.Resolved), Number(row.Reopened), Number(row.MessagesIn), Number(row.MessagesOut)], cancellationToken);
    }

    public static async Task WriteAsync(ReportBreakdownDto report, Stream output, CancellationToken cancellationToken)
    {
        await using var csv = CsvHelper.CsvWriter.Create(output, new CsvHelper.CsvWriterOptions { Injection = CsvHelper.CsvInjection.Escape }, true);
        csv.WriteHeader(["key", "name", "opened", "resolved", "reopened", "messagesIn", "messagesOut", "firstResponseMedianSeconds", "firstResponseP90Seconds",
            "resolutionMedianSeconds", "resolutionP90Seconds", "rated", "averageRating", "csat"]);
        foreach (var row in report.Rows)
            await csv.WriteRecordAsync([row.Key, row.Name, Number(row.Opened), Number(row.Resolved), Number(row.Reopened), Number(row.MessagesIn), Number(row.MessagesOut),
                Seconds(row.FirstResponse.Median), Seconds(row.FirstResponse.P90), Seconds(row.Resolution.Median), Seconds(row.Resolution.P90),
                Number(row.Satisfaction.Rated), Seconds(row.Satisfaction.Average), Seconds(row.Satisfaction.Csat)], cancellationToken);
    }

    public static async Task WriteAsync(AutomationReportDto report, Stream output, CancellationToken cancellationToken)
    {
        await using var csv = CsvHelper.CsvWriter.Create(output, new CsvHelper.CsvWriterOptions { Injection = CsvHelper.CsvInjection.Escape }, true);
        csv.WriteHeader(["flowId", "name", "version", "started", "completed", "handedOff", "faulted", "cancelled", "timedOut", "invalidAnswers", "containment",
            "rated", "averageRating", "csat"]);
        foreach (var row in report.Flows)
            await csv.WriteRecordAsync([row.FlowId.ToString(), row.Name, Number(row.Version), Number(row.Started), Number(row.Completed), Number(row.HandedOff),
                Number(row.Faulted), Number(row.Cancelled), Number(row.TimedOut), Number(row.InvalidAnswers), Seconds(row.Containment),
                Number(row.Satisfaction.Rated), Seconds(row.Satisfaction.Average), Seconds(row.Satisfaction.Csat)], cancellationToken);
    }

    public static async Task WriteAsync(FlowFunnelDto report, Stream output, CancellationToken cancellationToken)
    {
        await using var csv = CsvHelper.CsvWriter.Create(output, new CsvHelper.CsvWriterOptions { Injection = CsvHelper.CsvInjection.Escape }, true);
        csv.WriteHeader(["nodeId", "type", "reached", "outcomes", "stopped", "handedOff", "faulted", "cancelled", "invalidAnswers", "timedOut"]);
        foreach (var row in report.Nodes)
            await csv.WriteRecordAsync([row.NodeId, row.Type, Number(row.Reached), string.Join("; ", row.Outcomes.Select(o => $"{o.Key}={Number(o.Value)}")),
                Number(row.Stopped), Number(row.HandedOff), Number(row.Faulted), Number(row.Cancelled), Number(row.InvalidAnswers), Number(row.TimedOut)], cancellationToken);
    }

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Seconds(double? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
