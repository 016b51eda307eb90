using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Reports;

/// <summary>
/// What every report row is kept under: the connection, its channel, the team and the agent (<see cref="Guid.Empty"/>:
/// none). Nothing that names anyone, so the figures may outlive message retention and a contact's erasure.
/// </summary>
public abstract class ReportDimensions : TenantEntity
{
    public Guid ConnectionId { get; protected set; }

    public ChannelType Channel { get; protected set; }

    public Guid TeamId { get; protected set; }

    /// <summary>The conversation's assignee when it happened; the author for an agent's reply.</summary>
    public Guid AgentId { get; protected set; }
}

/// <summary>What a report counts for one UTC hour and one set of dimensions.</summary>
public abstract class ReportCounts : ReportDimensions
{
    public const int MaxLabelLength = 100;

    public DateTimeOffset HourStart { get; protected set; }

    /// <summary>
    /// Empty: the row counts the conversations themselves. A label: the same counts again, for the conversations that
    /// carried the label then, read only by reports filtered by that label (so no other report counts anything twice).
    /// </summary>
    public string Label { get; protected set; } = string.Empty;

    public int Opened { get; protected set; }

    public int Resolved { get; protected set; }

    public int Reopened { get; protected set; }

    public int MessagesIn { get; protected set; }

    public int MessagesOut { get; protected set; }

    /// <summary>Ratings customers gave (1-5), their sum, and how many were 4 or 5 ("satisfied", for CSAT).</summary>
    public int Rated { get; protected set; }

    public int RatingTotal { get; protected set; }

    public int Satisfied { get; protected set; }

    /// <summary>The hour <paramref name="at"/> falls in, in UTC.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}

/// <summary>The dimensions a count is kept under.</summary>
public readonly record struct ReportKey(DateTimeOffset HourStart, Guid ConnectionId, ChannelType Channel, Guid TeamId, Guid AgentId, string Label = "");

/// <summary>
/// What one unit of work changed, written in its transaction (so a crash loses or doubles nothing). The compactor
/// folds these into <see cref="ReportHour"/> rows and deletes them, in one transaction.
/// </summary>
public sealed class ReportDelta : ReportCounts
{
    public ReportKey Key => new(HourStart, ConnectionId, Channel, TeamId, AgentId, Label);

    private ReportDelta()
    {
    }

    public static ReportDelta For(ReportKey key) => new()
    {
        HourStart = key.HourStart, ConnectionId = key.ConnectionId, Channel = key.Channel, TeamId = key.TeamId, AgentId = key.AgentId, Label = key.Label ?? string.Empty,
    };

    /// <summary>A delta of a named workspace, for work outside a request (the backfill).</summary>
    public static ReportDelta For(Guid workspaceId, ReportKey key)
    {
        var delta = For(key);
        delta.BelongTo(workspaceId);
        return delta;
    }

    public void Count(int opened = 0, int resolved = 0, int reopened = 0, int messagesIn = 0, int messagesOut = 0)
    {
        Opened += opened;
        Resolved += resolved;
        Reopened += reopened;
        MessagesIn += messagesIn;
        MessagesOut += messagesOut;
    }

    /// <summary>A customer's rating, 1 to 5; 4 and 5 count as satisfied.</summary>
    public void CountRating(int score)
    {
        Rated++;
        RatingTotal += score;
        if (score >= 4)
            Satisfied++;
    }
}

/// <summary>What a compacted row adds up: one hour of one set of dimensions, one UTC day of one, or one hour of all.</summary>
public enum ReportGrain
{
    /// <summary>An hour, per connection, channel, team and agent: what filtered reports read.</summary>
    Hour = 0,

    /// <summary>A UTC day, per dimensions: what breakdowns read for the whole days of a range (24 times fewer rows).</summary>
    Day = 1,

    /// <summary>An hour of the whole workspace (no dimensions): what the unfiltered report over time reads.</summary>
    Total = 2,
}

/// <summary>The compacted counts of one key at one grain (unique per workspace, grain and key).</summary>
public sealed class ReportHour : ReportCounts
{
    private ReportHour()
    {
    }

    public ReportGrain Grain { get; private set; }

    public ReportKey Key => new(HourStart, ConnectionId, Channel, TeamId, AgentId, Label);

    /// <summary>The key a delta's counts add to at a grain: its day, or its hour without dimensions.</summary>
    public static ReportKey KeyAt(ReportGrain grain, ReportKey key) => grain switch
    {
        ReportGrain.Day => key with { HourStart = new DateTimeOffset(key.HourStart.UtcDateTime.Date, TimeSpan.Zero) },
        ReportGrain.Total => new ReportKey(key.HourStart, Guid.Empty, default, Guid.Empty, Guid.Empty),
        _ => key,
    };

    /// <summary>The first counts of a key (the compactor works across workspaces, so the row names its own).</summary>
    public static ReportHour Start(Guid workspaceId, ReportGrain grain, ReportKey key)
    {
        var hour = new ReportHour
        {
            Grain = grain, HourStart = key.HourStart, ConnectionId = key.ConnectionId, Channel = key.Channel, TeamId = key.TeamId, AgentId = key.AgentId,
            Label = key.Label ?? string.Empty,
        };
        hour.BelongTo(workspaceId);
        return hour;
    }

    public void Add(ReportCounts counts)
    {
        Opened += counts.Opened;
        Resolved += counts.Resolved;
        Reopened += counts.Reopened;
        MessagesIn += counts.MessagesIn;
        MessagesOut += counts.MessagesOut;
        Rated += counts.Rated;
        RatingTotal += counts.RatingTotal;
        Satisfied += counts.Satisfied;
    }
}

public enum ReportDurationKind
{
    /// <summary>From the conversation's start to the business's first answer (an agent's or a flow's).</summary>
    FirstResponse = 0,

    /// <summary>From the conversation's start to its resolution.</summary>
    Resolution = 1,
}

/// <summary>One measured duration, for medians and percentiles; like the counts, nothing that names anyone.</summary>
public sealed class ReportDuration : ReportDimensions
{
    private ReportDuration()
    {
    }

    public DateTimeOffset At { get; private set; }

    public ReportDurationKind Kind { get; private set; }

    public double Seconds { get; private set; }

    /// <summary>The conversation's labels then, as "|a|b|" (empty without), for label-filtered reports.</summary>
    public string Labels { get; private set; } = string.Empty;

    public static string LabelSet(IEnumerable<string> labels)
    {
        var list = labels.ToList();
        return list.Count == 0 ? string.Empty : "|" + string.Join('|', list) + "|";
    }

    public static ReportDuration Measure(
        ReportDurationKind kind, DateTimeOffset from, DateTimeOffset to, ReportKey key, Guid? workspaceId = null, IEnumerable<string>? labels = null)
    {
        var duration = new ReportDuration
        {
            At = to, Kind = kind, Seconds = Math.Max(0, (to - from).TotalSeconds),
            ConnectionId = key.ConnectionId, Channel = key.Channel, TeamId = key.TeamId, AgentId = key.AgentId, Labels = LabelSet(labels ?? []),
        };
        if (workspaceId is { } id)
            duration.BelongTo(id);
        return duration;
    }
}
