using OneInbox.Domain.Common;

namespace OneInbox.Domain.Flows;

public enum FlowInstanceStatus
{
    Running,
    Waiting,
    Completed,
    Faulted,
    Cancelled,
}

/// <summary>
/// One run of a flow version for one conversation. Its state (variables, bookmark, path) is the engine's
/// JSON; the columns beside it are what lists and the one-active-flow rule query.
/// </summary>
public sealed class FlowInstance : TenantEntity
{
    private FlowInstance(Guid flowId, Guid flowVersionId, int version, Guid? conversationId, DateTimeOffset now)
    {
        FlowId = flowId;
        FlowVersionId = flowVersionId;
        Version = version;
        ConversationId = conversationId;
        StartedAt = now;
        UpdatedAt = now;
        State = "{}";
    }

    private FlowInstance()
    {
        State = string.Empty;
    }

    public Guid FlowId { get; private set; }

    public Guid FlowVersionId { get; private set; }

    public int Version { get; private set; }

    public Guid? ConversationId { get; private set; }

    public FlowInstanceStatus Status { get; private set; }

    public string State { get; private set; }

    public string? CurrentNodeId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsActive => Status is FlowInstanceStatus.Running or FlowInstanceStatus.Waiting or FlowInstanceStatus.Faulted;

    public static FlowInstance Start(FlowVersion version, Guid? conversationId, TimeProvider clock) =>
        new(version.FlowId, version.Id, version.Version, conversationId, clock.GetUtcNow());

    /// <summary>Records what the engine returned for one stimulus.</summary>
    public void Record(FlowInstanceStatus status, string state, string? currentNodeId, TimeProvider clock)
    {
        if (Status == FlowInstanceStatus.Cancelled)
            throw new DomainException("flowInstance.cancelled", "A cancelled instance does not run again.");
        Status = status;
        State = state;
        CurrentNodeId = currentNodeId;
        UpdatedAt = clock.GetUtcNow();
    }

    public void Cancel(TimeProvider clock)
    {
        if (Status is FlowInstanceStatus.Completed or FlowInstanceStatus.Cancelled)
            throw new DomainException("flowInstance.finished", $"The instance is already {Status.ToString().ToLowerInvariant()}.");
        Status = FlowInstanceStatus.Cancelled;
        UpdatedAt = clock.GetUtcNow();
    }
}

/// <summary>One activity execution of an instance, kept as the record of an automated decision.</summary>
public sealed class FlowJournalEntry : TenantEntity
{
    public FlowJournalEntry(
        Guid instanceId, int version, int sequence, string nodeId, string activityType, string inputs, string? outcome,
        DateTimeOffset startedAt, double durationMs, IEnumerable<string> messagesSent, string? assignment, string? error,
        string? explanation = null, string? variables = null)
    {
        InstanceId = instanceId;
        Version = version;
        Sequence = sequence;
        NodeId = nodeId;
        ActivityType = activityType;
        Inputs = inputs;
        Outcome = outcome;
        StartedAt = startedAt;
        DurationMs = durationMs;
        MessagesSent = messagesSent.ToList();
        Assignment = assignment;
        Error = error;
        Explanation = explanation;
        Variables = variables;
    }

    private FlowJournalEntry()
    {
        NodeId = ActivityType = Inputs = string.Empty;
        MessagesSent = [];
    }

    public Guid InstanceId { get; private set; }

    public int Version { get; private set; }

    public int Sequence { get; private set; }

    public string NodeId { get; private set; }

    public string ActivityType { get; private set; }

    /// <summary>The inputs after evaluation, as JSON.</summary>
    public string Inputs { get; private set; }

    public string? Outcome { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public double DurationMs { get; private set; }

    public List<string> MessagesSent { get; private set; }

    public string? Assignment { get; private set; }

    public string? Error { get; private set; }

    /// <summary>On a significant decision: why, in plain language, as rendered when the step ran.</summary>
    public string? Explanation { get; private set; }

    /// <summary>On a significant decision: the instance's variables at that moment, as JSON.</summary>
    public string? Variables { get; private set; }

    public bool IsSignificant => Explanation is not null;
}

/// <summary>A failure of an instance at a node: visible to admins, retryable from that node, or cancellable.</summary>
public sealed class FlowIncident : TenantEntity
{
    public FlowIncident(Guid instanceId, string nodeId, string message, DateTimeOffset occurredAt)
    {
        InstanceId = instanceId;
        NodeId = nodeId;
        Message = message;
        OccurredAt = occurredAt;
    }

    private FlowIncident()
    {
        NodeId = Message = string.Empty;
    }

    public Guid InstanceId { get; private set; }

    public string NodeId { get; private set; }

    public string Message { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public bool Resolved { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public void Resolve(TimeProvider clock)
    {
        if (Resolved)
            throw new DomainException("flowIncident.resolved", "The incident is already resolved.");
        Resolved = true;
        ResolvedAt = clock.GetUtcNow();
    }
}

public enum FlowTimerKind
{
    /// <summary>A bookmark's due time (delay, question timeout).</summary>
    Bookmark,

    /// <summary>An admin asked to retry a faulted instance.</summary>
    Retry,
}

/// <summary>
/// A durable wake-up for an instance. Pollers claim due rows (FOR UPDATE SKIP LOCKED with a lease), resume
/// the instance and mark the row fired, so a timer fires once across nodes and restarts.
/// </summary>
public sealed class FlowTimer : TenantEntity
{
    public FlowTimer(Guid instanceId, FlowTimerKind kind, Guid? bookmarkId, DateTimeOffset dueAt)
    {
        InstanceId = instanceId;
        Kind = kind;
        BookmarkId = bookmarkId;
        DueAt = dueAt;
    }

    public Guid InstanceId { get; private set; }

    public FlowTimerKind Kind { get; private set; }

    public Guid? BookmarkId { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public DateTimeOffset? ClaimedUntil { get; private set; }

    public DateTimeOffset? FiredAt { get; private set; }

    public void Claim(TimeSpan lease, TimeProvider clock) => ClaimedUntil = clock.GetUtcNow() + lease;

    public void Fire(TimeProvider clock) => FiredAt = clock.GetUtcNow();
}
