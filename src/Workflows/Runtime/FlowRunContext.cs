using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Flows;

namespace OneInbox.Workflows.Runtime;

/// <summary>
/// What an instance runs against: the conversation's facts for templates and conditions, and the ports
/// activities act through. Built by the caller per stimulus.
/// </summary>
public sealed class FlowRunContext(IConversationActions actions)
{
    public IConversationActions Actions { get; } = actions;

    public IOutboundHttp? Http { get; init; }

    /// <summary>The workspace's business hours; without it a business-hours step with no calendar of its own faults.</summary>
    public IBusinessCalendar? BusinessHours { get; init; }

    public Guid? ConversationId { get; init; }

    /// <summary>The contact restricted processing or objected: automation must stop and leave them to people.</summary>
    public bool ContactRestricted { get; init; }

    public IReadOnlyDictionary<string, object?> Contact { get; init; } = new Dictionary<string, object?>();

    public IReadOnlyDictionary<string, object?> Conversation { get; init; } = new Dictionary<string, object?>();

    /// <summary>A live run on a conversation, with the ports of the caller's scope.</summary>
    public static FlowRunContext For(FlowConversation opened, Guid? conversationId, IServiceProvider services) => new(opened.Actions)
    {
        ConversationId = conversationId,
        Contact = opened.Contact,
        Conversation = opened.Conversation,
        ContactRestricted = opened.ContactRestricted,
        Http = services.GetService<IOutboundHttp>(),
        BusinessHours = services.GetService<IBusinessCalendar>(),
    };
}

/// <summary>One journal entry: why the flow did what it did at one node.</summary>
public sealed record JournalRecord(
    int Sequence,
    string NodeId,
    string ActivityType,
    IReadOnlyDictionary<string, object?> Inputs,
    string? Outcome,
    DateTimeOffset StartedAt,
    double DurationMs,
    IReadOnlyList<string> MessagesSent,
    string? Assignment,
    string? Error,
    JournalDecision? Decision = null,
    JournalStep Step = JournalStep.Entered,
    int? Rating = null);

/// <summary>How a journal entry's step came about.</summary>
public enum JournalStep
{
    /// <summary>The instance arrived at the node.</summary>
    Entered,

    /// <summary>An answer, a timer or a release resumed the instance at the node where it waited.</summary>
    Resumed,

    /// <summary>The instance was stopped where it waited (the entry records why).</summary>
    Stopped,
}

/// <summary>What a significant decision's entry adds: the explanation as rendered then, and the variables it saw.</summary>
public sealed record JournalDecision(string Explanation, IReadOnlyDictionary<string, object?> Variables);

public sealed record IncidentRecord(string NodeId, string Message, DateTimeOffset OccurredAt);

/// <summary>
/// The outcome of handling one stimulus: the new state, the journal entries written and any incident.
/// The caller commits all of it, together with what the actions port queued, in one transaction.
/// </summary>
public sealed record FlowRunResult(
    FlowInstanceState State,
    IReadOnlyList<JournalRecord> Journal,
    IncidentRecord? Incident,
    bool Resumed,
    HandOffRecord? HandOff = null);

/// <summary>The run gave the conversation to people at the node, for the category (<see cref="Domain.Reports.FlowHandOff"/>).</summary>
public sealed record HandOffRecord(string Category, string NodeId);

public sealed class FlowRuntimeOptions
{
    public int MaxStepsPerStimulus { get; set; } = 100;

    public TimeSpan MaxInstanceDuration { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the journal of a finished instance is kept (the record of automated decisions).</summary>
    public TimeSpan JournalRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Path entries kept on an instance; loops would otherwise grow it without bound.</summary>
    public int MaxPathLength { get; set; } = 500;
}
