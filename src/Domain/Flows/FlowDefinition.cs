using OneInbox.Domain.Common;

namespace OneInbox.Domain.Flows;

/// <summary>
/// An automation flow: one editable draft and a series of immutable published versions, of which at most
/// one is active. Instances are pinned to the version they started on, so publishing never disturbs them.
/// </summary>
public sealed class FlowDefinition : TenantEntity
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;

    private FlowDefinition(string name, string? description, string draftGraph, DateTimeOffset now)
    {
        Name = name;
        Description = description;
        DraftGraph = draftGraph;
        CreatedAt = now;
        UpdatedAt = now;
        HasUnpublishedChanges = true;
    }

    private FlowDefinition()
    {
        Name = DraftGraph = string.Empty;
    }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    /// <summary>When several flows' triggers match, the highest priority starts (ties: the oldest flow).</summary>
    public int Priority { get; private set; }

    /// <summary>The draft as the designer saved it, valid or not.</summary>
    public string DraftGraph { get; private set; }

    /// <summary>The active version; null when never published or retracted.</summary>
    public int? PublishedVersion { get; private set; }

    public int LatestVersion { get; private set; }

    public bool HasUnpublishedChanges { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static FlowDefinition Create(string name, string? description, string draftGraph, TimeProvider clock) =>
        new(CheckedName(name), CheckedDescription(description), draftGraph, clock.GetUtcNow());

    public void Update(string? name, string? description, int? priority, TimeProvider clock)
    {
        if (name is not null)
            Name = CheckedName(name);
        if (description is not null)
            Description = CheckedDescription(description);
        if (priority is { } p)
            Priority = p;
        UpdatedAt = clock.GetUtcNow();
    }

    public void SaveDraft(string graph, TimeProvider clock)
    {
        if (graph != DraftGraph)
            HasUnpublishedChanges = true;
        DraftGraph = graph;
        UpdatedAt = clock.GetUtcNow();
    }

    /// <summary>Snapshots the draft (already validated by the caller) as the next version and activates it.</summary>
    public FlowVersion Publish(Guid? publishedBy, TimeProvider clock)
    {
        var version = NextVersion(DraftGraph, publishedBy, clock);
        HasUnpublishedChanges = false;
        return version;
    }

    /// <summary>Publishes a copy of an old version's graph as the next version; the draft stays as it is.</summary>
    public FlowVersion Rollback(FlowVersion old, Guid? publishedBy, TimeProvider clock)
    {
        if (old.FlowId != Id)
            throw new DomainException("flow.rollback", "That version belongs to another flow.");
        var version = NextVersion(old.Graph, publishedBy, clock);
        HasUnpublishedChanges = DraftGraph != old.Graph;
        return version;
    }

    public void Retract(TimeProvider clock)
    {
        if (PublishedVersion is null)
            throw new DomainException("flow.notPublished", "The flow has no published version to retract.");
        PublishedVersion = null;
        UpdatedAt = clock.GetUtcNow();
    }

    private FlowVersion NextVersion(string graph, Guid? publishedBy, TimeProvider clock)
    {
        LatestVersion++;
        PublishedVersion = LatestVersion;
        UpdatedAt = clock.GetUtcNow();
        return new FlowVersion(Id, LatestVersion, graph, UpdatedAt, publishedBy);
    }

    private static string CheckedName(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
            throw new DomainException("flow.name", $"A flow name has 1 to {MaxNameLength} characters.");
        return trimmed;
    }

    private static string? CheckedDescription(string? description)
    {
        if (description is { Length: > MaxDescriptionLength })
            throw new DomainException("flow.description", $"A description has at most {MaxDescriptionLength} characters.");
        return string.IsNullOrWhiteSpace(description) ? null : description.Trim();
    }
}

/// <summary>An immutable published snapshot of a flow's graph.</summary>
public sealed class FlowVersion : TenantEntity
{
    internal FlowVersion(Guid flowId, int version, string graph, DateTimeOffset publishedAt, Guid? publishedBy)
    {
        FlowId = flowId;
        Version = version;
        Graph = graph;
        PublishedAt = publishedAt;
        PublishedBy = publishedBy;
    }

    private FlowVersion()
    {
        Graph = string.Empty;
    }

    public Guid FlowId { get; private set; }

    public int Version { get; private set; }

    public string Graph { get; private set; }

    public DateTimeOffset PublishedAt { get; private set; }

    public Guid? PublishedBy { get; private set; }
}

/// <summary>
/// The trigger of a flow's active version, indexed at publish so that matching an event reads one small
/// table instead of every graph. Only the published version has rows.
/// </summary>
public sealed class FlowTrigger : TenantEntity
{
    public FlowTrigger(Guid flowId, Guid flowVersionId, int version, string type, string filter, int priority)
    {
        FlowId = flowId;
        FlowVersionId = flowVersionId;
        Version = version;
        Type = type;
        Filter = filter;
        Priority = priority;
    }

    private FlowTrigger()
    {
        Type = Filter = string.Empty;
    }

    public Guid FlowId { get; private set; }

    public Guid FlowVersionId { get; private set; }

    public int Version { get; private set; }

    public string Type { get; private set; }

    /// <summary>The trigger's inputs as JSON (channel types, keywords, regex, cron...).</summary>
    public string Filter { get; private set; }

    public int Priority { get; private set; }

    public void Reprioritize(int priority) => Priority = priority;

    /// <summary>
    /// A schedule trigger's next occurrence not yet run (null until the scheduler first sees it). Moving it
    /// forward is how one node claims an occurrence: it is a concurrency token, so of several nodes that saw
    /// the same due time only the first write wins.
    /// </summary>
    public DateTimeOffset? NextDueAt { get; private set; }

    public void ScheduleNext(DateTimeOffset? next) => NextDueAt = next;
}
