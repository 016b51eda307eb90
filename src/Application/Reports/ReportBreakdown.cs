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
public sealed record ReportBreakdown(DateTimeOffset From, DateTimeOffset To, ReportDimension By, ReportTime Time = ReportTime.Business) : IQuery<ReportBreakdownDto>;

public sealed class ReportBreakdownValidator : AbstractValidator<ReportBreakdown>
{
    public ReportBreakdownValidator()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'to' must be after 'from'.");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(ConversationReportValidator.MaxDays)).WithName("to")
            .WithMessage($"A report covers at most {ConversationReportValidator.MaxDays} days.");
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

        var counts = (await Rows(db.ReportHours.AsNoTracking(), from, to, agentId).ToListAsync(cancellationToken))
            .Concat(await Rows(db.ReportDeltas.AsNoTracking(), from, to, agentId).ToListAsync(cancellationToken));
        var business = query.Time == ReportTime.Business
            ? new Domain.Workspaces.BusinessTime((await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspace.WorkspaceId, cancellationToken)).Calendar)
            : null;
        var measured = (await ReportFilter.Apply(db.ReportDurations.AsNoTracking(), null, null, null, agentId)
                .Where(d => d.At >= from && d.At < to)
                .Select(d => new { d.Kind, d.Seconds, d.At, d.AgentId, d.TeamId, d.Channel, d.ConnectionId })
                .ToListAsync(cancellationToken))
            .Select(d => new { d.Kind, Seconds = ReportMath.Measured(d.Seconds, d.At, business), d.AgentId, d.TeamId, d.Channel, d.ConnectionId })
            .ToList();

        string KeyOf(Guid agentKey, Guid team, Domain.Channels.ChannelType channel, Guid connection) => query.By switch
        {
            ReportDimension.Agent => agentKey == Guid.Empty ? None : agentKey.ToString(),
            ReportDimension.Team => team == Guid.Empty ? None : team.ToString(),
            ReportDimension.Channel => channel.ToString().ToLowerInvariant(),
            _ => connection.ToString(),
        };
        var byKey = counts.GroupBy(c => KeyOf(c.AgentId, c.TeamId, c.Channel, c.ConnectionId)).ToDictionary(g => g.Key);
        var timesByKey = measured.GroupBy(m => KeyOf(m.AgentId, m.TeamId, m.Channel, m.ConnectionId)).ToDictionary(g => g.Key);
        var names = await NamesAsync(query.By, cancellationToken);

        var rows = byKey.Keys.Union(timesByKey.Keys)
            .Select(key =>
            {
                var c = byKey.TryGetValue(key, out var g) ? g.ToList() : [];
                var times = timesByKey.TryGetValue(key, out var t) ? t.ToList() : [];
                return new BreakdownRowDto(key, NameOf(query.By, key, names),
                    c.Sum(r => r.Opened), c.Sum(r => r.Resolved), c.Sum(r => r.Reopened), c.Sum(r => r.MessagesIn), c.Sum(r => r.MessagesOut),
                    ReportMath.Summarize([.. times.Where(m => m.Kind == ReportDurationKind.FirstResponse).Select(m => m.Seconds)]),
                    ReportMath.Summarize([.. times.Where(m => m.Kind == ReportDurationKind.Resolution).Select(m => m.Seconds)]),
                    SatisfactionDto.Of(c.Sum(r => r.Rated), c.Sum(r => r.RatingTotal), c.Sum(r => r.Satisfied)));
            })
            .OrderByDescending(r => r.Opened + r.Resolved + r.MessagesOut).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return new ReportBreakdownDto(query.From, query.To, query.By, query.Time, rows);
    }

    private static IQueryable<DimensionCounts> Rows<T>(IQueryable<T> rows, DateTimeOffset from, DateTimeOffset to, Guid? agentId) where T : ReportCounts =>
        ReportFilter.Apply(rows, null, null, null, agentId).Where(r => r.HourStart >= from && r.HourStart < to).GroupBy(r => new { r.AgentId, r.TeamId, r.Channel, r.ConnectionId })
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

    private sealed record DimensionCounts(Guid AgentId, Guid TeamId, Domain.Channels.ChannelType Channel, Guid ConnectionId,
        int Opened, int Resolved, int Reopened, int MessagesIn, int MessagesOut, int Rated, int RatingTotal, int Satisfied);
}
