using System.Text.Json;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Reports;

/// <summary>What a flow report counts. Run-level kinds name the node where it happened, or none.</summary>
public enum FlowCountKind
{
    /// <summary>An instance started (node: none).</summary>
    Started = 0,

    /// <summary>An instance ran to its end (node: none).</summary>
    Completed = 1,

    /// <summary>An instance failed at the node.</summary>
    Faulted = 2,

    /// <summary>An instance was stopped at the node (an agent took over, a privacy stop, the maximum duration).</summary>
    Cancelled = 3,

    /// <summary>The conversation went to people at the node; the outcome holds why (<see cref="FlowHandOff"/>).</summary>
    HandedOff = 4,

    /// <summary>An instance arrived at the node.</summary>
    Reached = 5,

    /// <summary>An instance left the node through the outcome.</summary>
    Left = 6,

    /// <summary>A question's answer was refused and the question asked again.</summary>
    Retried = 7,

    /// <summary>The customer rated the conversation at the node; the outcome holds the score, 1 to 5.</summary>
    Rated = 8,
}

/// <summary>Why a flow handed a conversation to people: a category, never the reason's text (which may name the customer).</summary>
public static class FlowHandOff
{
    public const string Step = "step";
    public const string Review = "review";
    public const string Fault = "fault";
    public const string Expired = "expired";
    public const string Restricted = "restricted";

    /// <summary>The journal step name of a stop because the contact restricted processing.</summary>
    public const string PrivacyStopStep = "PrivacyStop";

    /// <summary>The journal step name of a stop because the customer asked for a human review.</summary>
    public const string ReviewStopStep = "ReviewRequested";

    /// <summary>The hand-off a journal entry of this activity type (or stop) stands for, when read back from the journal.</summary>
    public static string? CategoryOf(string activityType) => activityType switch
    {
        "HandOff" => Step,
        "RequestReview" or ReviewStopStep => Review,
        PrivacyStopStep => Restricted,
        _ => null,
    };
}

/// <summary>One count of a flow: its kind, the node (empty for the run) and the outcome (empty unless it has one).</summary>
public readonly record struct FlowCountKey(FlowCountKind Kind, string NodeId, string Outcome);

/// <summary>The counts of a flow version for one UTC hour, keyed by what they count.</summary>
public readonly record struct FlowHourKey(DateTimeOffset HourStart, Guid FlowId, int Version, FlowCountKind Kind, string NodeId, string Outcome);

/// <summary>
/// What one unit of work of a flow instance changed, in one row whatever the number of steps it ran (the counts as
/// JSON), written in the unit's transaction so a crash neither loses nor doubles it. The compactor folds these into
/// <see cref="FlowReportHour"/> rows and deletes them in one transaction. Nothing that names anyone: node ids and
/// outcomes are the flow's own.
/// </summary>
public sealed class FlowReportDelta : TenantEntity
{
    private FlowReportDelta()
    {
        Counts = "[]";
    }

    public DateTimeOffset HourStart { get; private set; }

    public Guid FlowId { get; private set; }

    public int Version { get; private set; }

    /// <summary>[[kind, node, outcome, count], ...].</summary>
    public string Counts { get; private set; }

    public static FlowReportDelta For(DateTimeOffset at, Guid flowId, int version, IReadOnlyDictionary<FlowCountKey, int> counts, Guid? workspaceId = null)
    {
        var delta = new FlowReportDelta
        {
            HourStart = ReportCounts.HourOf(at), FlowId = flowId, Version = version,
            Counts = JsonSerializer.Serialize(counts.Select(c => new object[] { (int)c.Key.Kind, c.Key.NodeId, c.Key.Outcome, c.Value })),
        };
        if (workspaceId is { } id)
            delta.BelongTo(id);
        return delta;
    }

    /// <summary>
    /// The counts of several deltas of one hour and flow version as one row: a unit of work that ran many instances (a
    /// round of the envelope processor) writes one, not one per instance. Summing here is what the compactor does later.
    /// </summary>
    public static FlowReportDelta Merge(IReadOnlyList<FlowReportDelta> deltas)
    {
        var first = deltas[0];
        if (deltas.Any(d => d.WorkspaceId != first.WorkspaceId || d.HourStart != first.HourStart || d.FlowId != first.FlowId || d.Version != first.Version))
            throw new ArgumentException("Only deltas of the same workspace, hour and flow version merge.", nameof(deltas));
        var counts = new Dictionary<FlowCountKey, int>();
        foreach (var (key, count) in deltas.SelectMany(d => d.Read()))
        {
            var countKey = new FlowCountKey(key.Kind, key.NodeId, key.Outcome);
            counts[countKey] = counts.GetValueOrDefault(countKey) + count;
        }
        return For(first.HourStart, first.FlowId, first.Version, counts, first.WorkspaceId == Guid.Empty ? null : first.WorkspaceId);
    }

    public IEnumerable<(FlowHourKey Key, int Count)> Read()
    {
        using var json = JsonDocument.Parse(Counts);
        var rows = new List<(FlowHourKey, int)>();
        foreach (var row in json.RootElement.EnumerateArray())
        {
            rows.Add((new FlowHourKey(HourStart, FlowId, Version, (FlowCountKind)row[0].GetInt32(), row[1].GetString() ?? string.Empty, row[2].GetString() ?? string.Empty),
                row[3].GetInt32()));
        }
        return rows;
    }
}

/// <summary>The compacted count of one hour, flow version, kind, node and outcome (unique).</summary>
public sealed class FlowReportHour : TenantEntity
{
    private FlowReportHour()
    {
        NodeId = Outcome = string.Empty;
    }

    public DateTimeOffset HourStart { get; private set; }

    public Guid FlowId { get; private set; }

    public int Version { get; private set; }

    public FlowCountKind Kind { get; private set; }

    public string NodeId { get; private set; }

    public string Outcome { get; private set; }

    public int Count { get; private set; }

    public FlowHourKey Key => new(HourStart, FlowId, Version, Kind, NodeId, Outcome);

    public static FlowReportHour Start(Guid workspaceId, FlowHourKey key)
    {
        var hour = new FlowReportHour { HourStart = key.HourStart, FlowId = key.FlowId, Version = key.Version, Kind = key.Kind, NodeId = key.NodeId, Outcome = key.Outcome };
        hour.BelongTo(workspaceId);
        return hour;
    }

    public void Add(int count) => Count += count;
}

/// <summary>The counts one unit of work of an instance adds, gathered before they become one <see cref="FlowReportDelta"/>.</summary>
public sealed class FlowTally
{
    private readonly Dictionary<FlowCountKey, int> _counts = [];

    public bool IsEmpty => _counts.Count == 0;

    public FlowTally Add(FlowCountKind kind, string? nodeId = null, string? outcome = null)
    {
        var key = new FlowCountKey(kind, nodeId ?? string.Empty, outcome ?? string.Empty);
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
        return this;
    }

    /// <summary>
    /// What one journal entry counts: an arrival at its node when the instance <paramref name="entered"/> it, the outcome it
    /// left by, or a refused answer when it resumed there and waits again. A stop records no outcome of the node.
    /// </summary>
    public FlowTally Step(bool entered, bool stopped, string nodeId, string? outcome, string? error)
    {
        if (entered)
            Add(FlowCountKind.Reached, nodeId);
        if (!stopped && outcome is not null)
            Add(FlowCountKind.Left, nodeId, outcome);
        else if (!entered && !stopped && error is null)
            Add(FlowCountKind.Retried, nodeId);
        return this;
    }

    /// <summary>How an instance's status changed, counted where it happened (completion names no node).</summary>
    public FlowTally Ended(Flows.FlowInstanceStatus before, Flows.FlowInstanceStatus after, string? nodeId)
    {
        if (before == after)
            return this;
        return after switch
        {
            Flows.FlowInstanceStatus.Completed => Add(FlowCountKind.Completed),
            Flows.FlowInstanceStatus.Faulted => Add(FlowCountKind.Faulted, nodeId),
            Flows.FlowInstanceStatus.Cancelled => Add(FlowCountKind.Cancelled, nodeId),
            _ => this,
        };
    }

    public FlowReportDelta? ToDelta(Flows.FlowInstance instance, DateTimeOffset at) =>
        IsEmpty ? null : FlowReportDelta.For(at, instance.FlowId, instance.Version, _counts);

    public FlowReportDelta? ToDelta(Guid workspaceId, DateTimeOffset hour, Guid flowId, int version) =>
        IsEmpty ? null : FlowReportDelta.For(hour, flowId, version, _counts, workspaceId);
}
