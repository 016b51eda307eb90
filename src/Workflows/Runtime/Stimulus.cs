namespace OneInbox.Workflows.Runtime;

/// <summary>What wakes a waiting instance. Each kind resumes only a bookmark of its kind.</summary>
public abstract record Stimulus(string? Id);

/// <param name="Id">The inbox message id, so redeliveries are recognised.</param>
public sealed record MessageStimulus(string? Text, string? ButtonPayload, string? Id = null) : Stimulus(Id);

public sealed record TimerStimulus(Guid BookmarkId) : Stimulus($"timer:{BookmarkId}");

public sealed record ReleasedStimulus(string? Id = null) : Stimulus(Id);

/// <summary>An admin retries a faulted instance from the node that failed.</summary>
public sealed record RetryStimulus() : Stimulus((string?)null);

/// <summary>
/// Automation must stop for this conversation: a waiting instance ends at once and people take over, whatever it
/// waited for. The journal records it under <paramref name="Step"/>, as every automated decision.
/// </summary>
public abstract record StopStimulus(string Step, string Reason) : Stimulus((string?)null);

/// <summary>The contact restricted processing or objected to automation.</summary>
public sealed record PrivacyStopStimulus() : StopStimulus(Domain.Reports.FlowHandOff.PrivacyStopStep, FlowRuntime.RestrictedHandOffReason);

/// <summary>The customer contested an automated decision: people review it, the bot does not answer meanwhile.</summary>
public sealed record ReviewRequestedStimulus() : StopStimulus(Domain.Reports.FlowHandOff.ReviewStopStep, FlowRuntime.ReviewHandOffReason);
