using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Reports;

namespace OneInbox.Application.Reports;

/// <summary>What a breakdown splits the inbox by.</summary>
public enum ReportDimension
{
    Agent,
    Team,
    Channel,
    Connection,
}

/// <param name="Key">The agent's user id, the team's or connection's id, or the channel type; "none" for unassigned or no team.</param>
/// <param name="Name">Its name now (read at request time; the aggregates hold none): "a former member" for an account gone.</param>
public sealed record BreakdownRowDto(
    string Key, string Name, int Opened, int Resolved, int Reopened, int MessagesIn, int MessagesOut, DurationSummaryDto FirstResponse, DurationSummaryDto Resolution,
    SatisfactionDto Satisfaction);

public sealed record ReportBreakdownDto(DateTimeOffset From, DateTimeOffset To, ReportDimension By, ReportTime Time, IReadOnlyList<BreakdownRowDto> Rows);

/// <summary>
/// The range's figures per agent, team, channel or connection: conversations, messages, first response and
/// resolution times. An agent's row counts the conversations they held when it happened and the replies they wrote.
/// Agents get their own row only.
/// </summary>
public sealed record ReportBreakdown(DateTimeOffset From, DateTimeOffset To, ReportDimension By, ReportTime Time = ReportTime.Business) : IReportRange, IQuery<ReportBreakdownDto>;

public sealed class ReportBreakdownValidator : AbstractValidator<ReportBreakdown>
{
    public ReportBreakdownValidator()
    {
        Include(new ReportRangeRules());
        RuleFor(q => q.By).IsInEnum();
        RuleFor(q => q.Time).IsInEnum();
    }
}

public sealed class ReportBreakdownHandler(IOneInboxDb db, ICurrentUser user, WorkspaceContext workspace) : IQueryHandler<ReportBreakdown, ReportBreakdownDto>
{
    private const string None = "none";

    public async ValueTask<ReportBreakdownDto> Handle(ReportBreakdown query, CancellationToken cancellationToken)
    {
        var agentId = ReportScope.AgentFor(user, null);
        var from = ReportCounts.HourOf(query.From);
        var to = query.To;

        // The range's whole UTC days from the day rows, the hours at either end from the hour rows, and the deltas not folded yet.
        var firstDay = from.UtcDateTime.TimeOfDay == TimeSpan.Zero ? from : new DateTimeOffset(from.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var lastDay = new DateTimeOffset(to.UtcDateTime.Date, TimeSpan.Zero);
        var hours = db.ReportHours.AsNoTracking().Where(h => h.Grain == ReportGrain.Hour);
        IEnumerable<DimensionCounts> counts;
        await using (await db.ReadSnapshotAsync(cancellationToken))
        {
            counts = firstDay < lastDay
                ? (await Rows(db.ReportHours.AsNoTracking().Where(h => h.Grain == ReportGrain.Day), firstDay, lastDay, agentId).ToListAsync(cancellationToken))
                    .Concat(await Rows(hours, from, firstDay, agentId).ToListAsync(cancellationToken))
                    .Concat(await Rows(hours, lastDay, to, agentId).ToListAsync(cancellationToken))
                : await Rows(hours, from, to, agentId).ToListAsync(cancellationToken);
            counts = counts.Concat(await Rows(db.ReportDeltas.AsNoTracking(), from, to, agentId).ToListAsync(cancellationToken));
        }
        var business = query.Time == ReportTime.Business
            ? new Domain.Workspaces.BusinessTime((await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspace.WorkspaceId, cancellationToken)).Calendar)
            : null;
        // Only the dimension asked for is read with each duration; keys become text once per group, not per row.
        var durations = ReportFilter.Apply(db.ReportDurations.AsNoTracking(), null, null, null, agentId).Where(d => d.At >= from && d.At < to);
        var measured = (query.By switch
            {
                ReportDimension.Agent => await durations.Select(d => new Measured(d.Kind, d.Seconds, d.At, d.AgentId, default)).ToListAsync(cancellationToken),
                ReportDimension.Team => await durations.Select(d => new Measured(d.Kind, d.Seconds, d.At, d.TeamId, default)).ToListAsync(cancellationToken),
                ReportDimension.Channel => await durations.Select(d => new Measured(d.Kind, d.Seconds, d.At, Guid.Empty, d.Channel)).ToListAsync(cancellationToken),
                _ => await durations.Select(d => new Measured(d.Kind, d.Seconds, d.At, d.ConnectionId, default)).ToListAsync(cancellationToken),
            })
            .GroupBy(m => (m.Id, m.Channel))
            .ToDictionary(g => KeyOf(g.Key.Id, g.Key.Id, g.Key.Channel, g.Key.Id), g => g.ToList());

        string KeyOf(Guid agentKey, Guid team, Domain.Channels.ChannelType channel, Guid connection) => query.By switch
        {
            ReportDimension.Agent => agentKey == Guid.Empty ? None : agentKey.ToString(),
            ReportDimension.Team => team == Guid.Empty ? None : team.ToString(),
            ReportDimension.Channel => channel.ToString().ToLowerInvariant(),
            _ => connection.ToString(),
        };
        var byKey = counts.GroupBy(c => KeyOf(c.AgentId, c.TeamId, c.Channel, c.ConnectionId)).ToDictionary(g => g.Key);
        var names = await NamesAsync(query.By, cancellationToken);

        var rows = byKey.Keys.Union(measured.Keys)
            .Select(key =>
            {
                var c = byKey.TryGetValue(key, out var g) ? g.ToList() : [];
                var times = measured.TryGetValue(key, out var t) ? t : [];
                double[] Of(ReportDurationKind kind) => [.. times.Where(m => m.Kind == kind).Select(m => ReportMath.Measured(m.Seconds, m.At, business))];
                return new BreakdownRowDto(key, NameOf(query.By, key, names),
                    c.Sum(r => r.Opened), c.Sum(r => r.Resolved), c.Sum(r => r.Reopened), c.Sum(r => r.MessagesIn), c.Sum(r => r.MessagesOut),
                    ReportMath.Summarize(Of(ReportDurationKind.FirstResponse)), ReportMath.Summarize(Of(ReportDurationKind.Resolution)),
                    SatisfactionDto.Of(c.Sum(r => r.Rated), c.Sum(r => r.RatingTotal), c.Sum(r => r.Satisfied)));
            })
            .OrderByDescending(r => r.Opened + r.Resolved + r.MessagesOut).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return new ReportBreakdownDto(query.From, query.To, query.By, query.Time, rows);
    }

    private static IQueryable<DimensionCounts> Rows<T>(IQueryable<T> rows, DateTimeOffset from, DateTimeOffset to, Guid? agentId) where T : ReportCounts =>
        ReportFilter.Labelled(ReportFilter.Apply(rows, null, null, null, agentId), null).Where(r => r.HourStart >= from && r.HourStart < to).GroupBy(r => new { r.AgentId, r.TeamId, r.Channel, r.ConnectionId })
            .Select(g => new DimensionCounts(g.Key.AgentId, g.Key.TeamId, g.Key.Channel, g.Key.ConnectionId,
                g.Sum(r => r.Opened), g.Sum(r => r.Resolved), g.Sum(r => r.Reopened), g.Sum(r => r.MessagesIn), g.Sum(r => r.MessagesOut),
                g.Sum(r => r.Rated), g.Sum(r => r.RatingTotal), g.Sum(r => r.Satisfied)));

    private async Task<Dictionary<string, string>> NamesAsync(ReportDimension by, CancellationToken cancellationToken) => by switch
    {
        ReportDimension.Agent => await db.Members.AsNoTracking().ToDictionaryAsync(m => m.UserId.ToString(), m => m.DisplayName, cancellationToken),
        ReportDimension.Team => await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id.ToString(), t => t.Name, cancellationToken),
        ReportDimension.Connection => await db.ChannelConnections.AsNoTracking().ToDictionaryAsync(c => c.Id.ToString(), c => c.Name, cancellationToken),
        _ => [],
    };

    private static string NameOf(ReportDimension by, string key, Dictionary<string, string> names) => (by, key) switch
    {
        (ReportDimension.Agent, None) => "unassigned",
        (ReportDimension.Team, None) => "no team",
        (ReportDimension.Channel, _) => key,
        (ReportDimension.Agent, _) => names.GetValueOrDefault(key) ?? "a former member",
        (ReportDimension.Team, _) => names.GetValueOrDefault(key) ?? "a deleted team",
        _ => names.GetValueOrDefault(key) ?? "a removed connection",
    };

    private sealed record Measured(ReportDurationKind Kind, double Seconds, DateTimeOffset At, Guid Id, Domain.Channels.ChannelType Channel);

    private sealed record DimensionCounts(Guid AgentId, Guid TeamId, Domain.Channels.ChannelType Channel, Guid ConnectionId,
        int Opened, int Resolved, int Reopened, int MessagesIn, int MessagesOut, int Rated, int RatingTotal, int Satisfied);
}
