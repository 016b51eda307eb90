using System.Text.Json;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Reports;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Instances;

/// <summary>
/// Runs the engine for persisted instances: compiles the pinned version (cached), runs the stimulus and
/// stages the new state, journal entries, incident and timer on the unit of work. The caller, holding the
/// conversation's single-writer lease, saves once, so all of it commits with what the actions port staged.
/// </summary>
public sealed class FlowExecutor(IOneInboxDb db, FlowCompiler compiler, FlowRuntime runtime, TimeProvider clock)
{
    public async Task<(FlowInstance Instance, FlowRunResult Result)> StartAsync(
        FlowVersion version, FlowRunContext context, MessageStimulus? message, CancellationToken cancellationToken, string? fromNodeId = null)
    {
        var flow = compiler.ForVersion(version.Id, version.Graph);
        var instance = FlowInstance.Start(version, context.ConversationId, clock);
        db.FlowInstances.Add(instance);
        var result = await runtime.StartAsync(flow, context, message, cancellationToken, fromNodeId);
        Stage(instance, result, new FlowTally().Add(FlowCountKind.Started));
        return (instance, result);
    }

    public async Task<FlowRunResult> ResumeAsync(
        FlowInstance instance, FlowVersion version, FlowRunContext context, Stimulus stimulus, CancellationToken cancellationToken)
    {
        if (version.Id != instance.FlowVersionId)
            throw new InvalidOperationException("An instance resumes only on the version it started on.");
        var flow = compiler.ForVersion(version.Id, version.Graph);
        var result = await runtime.ResumeAsync(flow, FlowInstanceState.FromJson(instance.State), context, stimulus, cancellationToken);
        if (result.Resumed)
            Stage(instance, result, new FlowTally());
        return result;
    }

    private void Stage(FlowInstance instance, FlowRunResult result, FlowTally tally)
    {
        var state = result.State;
        var before = instance.Status;
        instance.Record(state.Status, state.ToJson(), state.CurrentNodeId, clock);
        Count(tally, result, before, instance.CurrentNodeId ?? (result.Journal.Count > 0 ? result.Journal[^1].NodeId : null));
        if (tally.ToDelta(instance, clock.GetUtcNow()) is { } delta)
            db.FlowReportDeltas.Add(delta);
        foreach (var entry in result.Journal)
        {
            db.FlowJournal.Add(new FlowJournalEntry(
                instance.Id, instance.Version, entry.Sequence, entry.NodeId, entry.ActivityType,
                JsonSerializer.Serialize(entry.Inputs, FlowInstanceState.Json), entry.Outcome, entry.StartedAt, entry.DurationMs,
                entry.MessagesSent, entry.Assignment, entry.Error, entry.Decision?.Explanation,
                entry.Decision is { } decision ? JsonSerializer.Serialize(decision.Variables, FlowInstanceState.Json) : null));
        }
        if (result.Incident is { } incident)
            db.FlowIncidents.Add(new FlowIncident(instance.Id, incident.NodeId, incident.Message, incident.OccurredAt));
        if (state.Status == FlowInstanceStatus.Waiting && state.Bookmark is { DueAt: { } due } bookmark)
            db.FlowTimers.Add(new FlowTimer(instance.Id, FlowTimerKind.Bookmark, bookmark.Id, due));
    }

    /// <summary>
    /// The run as the flow reports count it: arrivals at nodes, the outcome each left by, refused answers asked again,
    /// the hand-off and how the instance ended. Written as one row in the unit of work's transaction.
    /// </summary>
    private static void Count(FlowTally tally, FlowRunResult result, FlowInstanceStatus before, string? lastNode)
    {
        foreach (var entry in result.Journal)
        {
            tally.Step(entry.Step == JournalStep.Entered, entry.Step == JournalStep.Stopped, entry.NodeId, entry.Outcome, entry.Error);
            if (entry.Rating is { } rating)
                tally.Add(FlowCountKind.Rated, entry.NodeId, rating.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (result.HandOff is { } handOff)
            tally.Add(FlowCountKind.HandedOff, handOff.NodeId, handOff.Category);
        tally.Ended(before, result.State.Status, lastNode);
    }
}
