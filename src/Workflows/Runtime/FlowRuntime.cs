using OneInbox.Application.Common.Exceptions;
using System.Diagnostics;
using System.Text;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Expressions;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Reports;

namespace OneInbox.Workflows.Runtime;

/// <summary>
/// Runs instances of compiled flows: from the start node, or from the bookmark a stimulus matches, until
/// the flow waits, ends or fails. It keeps no state of its own: the caller loads the instance, calls it
/// (one writer per conversation) and commits the returned state, journal and incident in one transaction.
/// </summary>
public sealed class FlowRuntime(TimeProvider clock, FlowRuntimeOptions options)
{
    public const string FaultHandOffReason = "The automation could not continue; a person takes over.";

    public const string RestrictedHandOffReason = "The contact restricted processing of their data; a person takes over.";

    public const string ReviewHandOffReason = Application.Reviews.ReviewIntake.HandOffReason;
    private const int RecentStimuliKept = 20;

    public FlowRuntime(TimeProvider clock)
        : this(clock, new FlowRuntimeOptions())
    {
    }

    public ValueTask<FlowRunResult> StartAsync(
        CompiledFlow flow, FlowRunContext context, MessageStimulus? message, CancellationToken cancellationToken, string? fromNodeId = null)
    {
        if (context.ContactRestricted)
            throw new InvalidOperationException("Automation must not start for a contact who restricted processing or objected.");
        var start = fromNodeId is null ? flow.Start
            : flow.Nodes.GetValueOrDefault(fromNodeId) ?? throw new InvalidOperationException($"The flow has no node '{fromNodeId}'.");
        var now = clock.GetUtcNow();
        var state = new FlowInstanceState { StartedAt = now, UpdatedAt = now, CurrentNodeId = start.Id };
        if (message?.Id is { } id)
            state.RecentStimuli.Add(id);
        return RunAsync(flow, state, context, message, start, null, cancellationToken);
    }

    public async ValueTask<FlowRunResult> ResumeAsync(CompiledFlow flow, FlowInstanceState state, FlowRunContext context, Stimulus stimulus, CancellationToken cancellationToken)
    {
        if (stimulus.Id is { } id && state.RecentStimuli.Contains(id))
            return new FlowRunResult(state, [], null, Resumed: false);

        if (stimulus is StopStimulus stop)
        {
            return state.Status == FlowInstanceStatus.Waiting
                ? await StopAsync(state, context, stop, cancellationToken)
                : new FlowRunResult(state, [], null, Resumed: false);
        }

        if (stimulus is RetryStimulus)
        {
            if (state.Status != FlowInstanceStatus.Faulted || state.CurrentNodeId is null || !flow.Nodes.TryGetValue(state.CurrentNodeId, out var failed))
                return new FlowRunResult(state, [], null, Resumed: false);
            state.Status = FlowInstanceStatus.Running;
            return await RunAsync(flow, state, context, null, failed, null, cancellationToken);
        }

        if (state.Status != FlowInstanceStatus.Waiting || state.Bookmark is not { } bookmark || !Matches(bookmark, stimulus)
            || !flow.Nodes.TryGetValue(bookmark.NodeId, out var node))
            return new FlowRunResult(state, [], null, Resumed: false);

        if (stimulus.Id is { } stimulusId)
        {
            state.RecentStimuli.Add(stimulusId);
            if (state.RecentStimuli.Count > RecentStimuliKept)
                state.RecentStimuli.RemoveAt(0);
        }

        if (context.ContactRestricted)
            return await StopAsync(state, context, new PrivacyStopStimulus(), cancellationToken);
        if (clock.GetUtcNow() - state.StartedAt > options.MaxInstanceDuration)
            return await ExpireAsync(state, context, cancellationToken);

        return await RunAsync(flow, state, context, stimulus as MessageStimulus, node, (stimulus, bookmark), cancellationToken);
    }

    private static bool Matches(Bookmark bookmark, Stimulus stimulus) => stimulus switch
    {
        MessageStimulus => bookmark.Kind == BookmarkKind.Reply,
        TimerStimulus timer => bookmark.DueAt is not null && bookmark.Id == timer.BookmarkId,
        ReleasedStimulus => bookmark.Kind == BookmarkKind.Release,
        _ => false,
    };

    private async ValueTask<FlowRunResult> RunAsync(
        CompiledFlow flow, FlowInstanceState state, FlowRunContext context, MessageStimulus? message,
        CompiledNode? node, (Stimulus Stimulus, Bookmark Bookmark)? resume, CancellationToken cancellationToken)
    {
        var execution = new ActivityExecution(flow, state, context, clock, cancellationToken);
        if (message is not null)
        {
            execution.Message["text"] = message.Text ?? string.Empty;
            execution.Message["buttonPayload"] = message.ButtonPayload;
        }
        var journal = new List<JournalRecord>();
        IncidentRecord? incident = null;
        HandOffRecord? handOff = null;
        state.Status = FlowInstanceStatus.Running;
        state.Bookmark = null;
        var steps = 0;

        while (node is not null)
        {
            state.CurrentNodeId = node.Id;
            if (++steps > options.MaxStepsPerStimulus)
            {
                var loop = $"The flow ran more than {options.MaxStepsPerStimulus} steps without waiting for the customer; it was stopped as a loop.";
                incident = await FaultAsync(flow, state, context, node, loop, journal, cancellationToken);
                handOff = new HandOffRecord(FlowHandOff.Fault, node.Id);
                break;
            }

            var resumed = resume is not null;
            execution.BeginNode(node.Id);
            var startedAt = clock.GetUtcNow();
            var ticks = Stopwatch.GetTimestamp();
            StepResult result;
            try
            {
                result = resume is { } r
                    ? await node.Step.ResumeAsync(execution, r.Stimulus, r.Bookmark)
                    : await node.Step.ExecuteAsync(execution);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                journal.Add(Record(state, node, execution, null, startedAt, ticks, Describe(e), resumed));
                incident = await FaultAsync(flow, state, context, node, Describe(e), journal, cancellationToken);
                handOff = new HandOffRecord(FlowHandOff.Fault, node.Id);
                break;
            }
            resume = null;
            var entry = Record(state, node, execution, result.Outcome, startedAt, ticks, null, resumed);
            if (execution.HandedOff is { } category)
                handOff = new HandOffRecord(category, node.Id);
            journal.Add(node.Explanation is null ? entry : entry with { Decision = await DecisionAsync(node.Explanation, execution) });
            if (!resumed && state.Path.Count < options.MaxPathLength)
                state.Path.Add(node.Id);

            if (result.Wait is { } wait)
            {
                state.Status = FlowInstanceStatus.Waiting;
                state.Bookmark = wait;
                break;
            }
            node = result.Outcome is null ? null : node.Next(result.Outcome);
        }

        if (state.Status == FlowInstanceStatus.Running)
        {
            state.Status = FlowInstanceStatus.Completed;
            state.CurrentNodeId = null;
        }
        state.UpdatedAt = clock.GetUtcNow();
        return new FlowRunResult(state, journal, incident, Resumed: true, handOff);
    }

    private static JournalRecord Record(
        FlowInstanceState state, CompiledNode node, ActivityExecution execution, string? outcome, DateTimeOffset startedAt, long ticks, string? error, bool resumed) =>
        new(++state.JournalSequence, node.Id, node.Activity.Type, execution.TakeInputs(), outcome, startedAt,
            Stopwatch.GetElapsedTime(ticks).TotalMilliseconds, execution.TakeMessages(), execution.Assignment, error, Step: resumed ? JournalStep.Resumed : JournalStep.Entered, Rating: execution.Rating);

    /// <summary>
    /// The explanation as the customer and the auditor will read it, rendered with the values of this moment, and those
    /// values. A template that fails at run time must not fail the step: the entry says so instead.
    /// </summary>
    private static async ValueTask<JournalDecision> DecisionAsync(CompiledTemplate explanation, ActivityExecution execution)
    {
        string text;
        try
        {
            text = await execution.RenderAsync(explanation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            text = $"(The explanation could not be rendered: {e.Message})";
        }
        return new JournalDecision(text, new Dictionary<string, object?>(execution.State.Variables, StringComparer.Ordinal));
    }

    /// <summary>A failed flow must never wedge the conversation: it is handed to people with what the bot collected.</summary>
    private async ValueTask<IncidentRecord> FaultAsync(
        CompiledFlow flow, FlowInstanceState state, FlowRunContext context, CompiledNode node, string message, List<JournalRecord> journal, CancellationToken cancellationToken)
    {
        state.Status = FlowInstanceStatus.Faulted;
        state.Bookmark = null;
        state.CurrentNodeId = node.Id;
        await context.Actions.HandOffAsync(FaultHandOffReason, Summary(flow, state), cancellationToken);
        return new IncidentRecord(node.Id, message, clock.GetUtcNow());
    }

    private async ValueTask<FlowRunResult> ExpireAsync(FlowInstanceState state, FlowRunContext context, CancellationToken cancellationToken)
    {
        state.Status = FlowInstanceStatus.Cancelled;
        state.Bookmark = null;
        state.UpdatedAt = clock.GetUtcNow();
        await context.Actions.HandOffAsync($"The automation ran longer than {options.MaxInstanceDuration.TotalDays:0.#} days and was stopped.", string.Empty, cancellationToken);
        var node = state.CurrentNodeId ?? string.Empty;
        return new FlowRunResult(state, [], new IncidentRecord(node, "The instance exceeded the maximum duration.", state.UpdatedAt), Resumed: true,
            new HandOffRecord(FlowHandOff.Expired, node));
    }

    private async ValueTask<FlowRunResult> StopAsync(FlowInstanceState state, FlowRunContext context, StopStimulus stop, CancellationToken cancellationToken)
    {
        state.Status = FlowInstanceStatus.Cancelled;
        state.Bookmark = null;
        state.UpdatedAt = clock.GetUtcNow();
        var entry = new JournalRecord(++state.JournalSequence, state.CurrentNodeId ?? string.Empty, stop.Step, new Dictionary<string, object?>(),
            "cancelled", state.UpdatedAt, 0, [], "handed off to people", stop.Reason, Step: JournalStep.Stopped);
        await context.Actions.HandOffAsync(stop.Reason, string.Empty, cancellationToken);
        var category = stop is PrivacyStopStimulus ? FlowHandOff.Restricted : FlowHandOff.Review;
        return new FlowRunResult(state, [entry], null, Resumed: true, new HandOffRecord(category, entry.NodeId));
    }

    /// <summary>What the bot collected, for the people taking over.</summary>
    public static string Summary(CompiledFlow flow, FlowInstanceState state)
    {
        var summary = new StringBuilder();
        foreach (var name in flow.Variables.Keys)
        {
            if (state.Variables.TryGetValue(name, out var value) && value is not null)
                summary.Append(name).Append(": ").Append(Values.Text(value)).Append('\n');
        }
        return summary.ToString().TrimEnd();
    }

    private static string Describe(Exception e) => e switch
    {
        InvalidOperationException or ExpressionException or FormatException or UnprocessableException => e.Message,
        TimeoutException => "The step timed out.",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
