using System.Collections.Concurrent;
using OneInbox.Application.Teams;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Expressions;
using OneInbox.Workflows.Runtime;
using OneInbox.Domain.Flows;

namespace OneInbox.Workflows.Simulation;

/// <summary>
/// A simulated conversation: the conversation port implemented in memory, recording what the bot would
/// have said and done, so a draft can be tried with no channel and no inbox.
/// </summary>
internal sealed class SimulatedConversation : IConversationActions
{
    public List<TranscriptLineDto> Transcript { get; } = [];

    public HandOffDto? HandOff { get; private set; }

    public void Customer(string text) => Transcript.Add(new TranscriptLineDto("customer", text, []));

    private void System(string text) => Transcript.Add(new TranscriptLineDto("system", text, []));

    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken)
    {
        Transcript.Add(new TranscriptLineDto("bot", message.Text, message.Buttons, message.Media));
        return ValueTask.CompletedTask;
    }

    /// <summary>A test run has no provider to ask: the template shows by name with its parameters.</summary>
    public ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var text = $"[template {name} ({language})] {string.Join(" | ", parameters)}".TrimEnd();
        Transcript.Add(new TranscriptLineDto("bot", text, []));
        return ValueTask.FromResult(text);
    }

    public ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken)
    {
        System($"Assigned to team {teamId} ({strategy}).");
        return ValueTask.FromResult<Guid?>(null);
    }

    public ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken)
    {
        System($"Assigned to agent {userId}.");
        return ValueTask.CompletedTask;
    }

    public ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken)
    {
        HandOff = new HandOffDto(reason, summary);
        System($"Handed off to a person: {reason}");
        return ValueTask.CompletedTask;
    }

    public ValueTask AddNoteAsync(string text, CancellationToken cancellationToken)
    {
        System($"Note: {text}");
        return ValueTask.CompletedTask;
    }

    public ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken)
    {
        System($"Priority set to {priority}.");
        return ValueTask.CompletedTask;
    }

    public ValueTask ResolveAsync(CancellationToken cancellationToken)
    {
        System("Conversation resolved.");
        return ValueTask.CompletedTask;
    }

    public ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken)
    {
        System($"Contact attribute {name} set.");
        return ValueTask.CompletedTask;
    }

    public ValueTask AddTagAsync(string tag, CancellationToken cancellationToken)
    {
        System($"Tag {tag} added.");
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken)
    {
        System($"Tag {tag} removed.");
        return ValueTask.CompletedTask;
    }

    public ValueTask<string> RequestPrivacyAsync(string type, CancellationToken cancellationToken)
    {
        System($"A {type} privacy request would open now (not in a test run).");
        return ValueTask.FromResult($"Your {type} request would be registered now (test run).");
    }

    public async ValueTask<string?> RequestReviewAsync(string words, CancellationToken cancellationToken)
    {
        await HandOffAsync(Application.Reviews.ReviewIntake.HandOffReason, string.Empty, cancellationToken);
        System("A human review case would open now (not in a test run).");
        return null;
    }
}

internal sealed class TestRunSession(Guid workspaceId, Guid flowId, CompiledFlow flow, FlowRunContext context, SimulatedConversation conversation, DateTimeOffset expiresAt)
{
    public Guid Id { get; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; } = workspaceId;

    public Guid FlowId { get; } = flowId;

    public CompiledFlow Flow { get; } = flow;

    public FlowRunContext Context { get; } = context;

    public SimulatedConversation Conversation { get; } = conversation;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public FlowInstanceState? State { get; set; }

    public List<JournalRecord> Journal { get; } = [];

    /// <summary>One message at a time per run, as in a live conversation.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}

/// <summary>Test runs in memory for at most an hour; a workspace keeps a bounded number.</summary>
internal sealed class TestRunStore(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    public const int MaxPerWorkspace = 100;

    private readonly ConcurrentDictionary<Guid, TestRunSession> _runs = new();

    public void Add(TestRunSession session)
    {
        Sweep();
        if (_runs.Values.Count(r => r.WorkspaceId == session.WorkspaceId) >= MaxPerWorkspace)
            throw new ConflictException("flow.testRuns.limit", $"A workspace keeps at most {MaxPerWorkspace} test runs; older ones expire after an hour.");
        _runs[session.Id] = session;
    }

    public TestRunSession? Find(Guid workspaceId, Guid flowId, Guid runId)
    {
        Sweep();
        return _runs.TryGetValue(runId, out var run) && run.WorkspaceId == workspaceId && run.FlowId == flowId ? run : null;
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, run) in _runs)
        {
            if (run.ExpiresAt <= now)
                _runs.TryRemove(id, out _);
        }
    }
}

internal sealed class TestRunner(TestRunStore store, FlowCompiler compiler, FlowRuntime runtime, TimeProvider clock,
    IOutboundHttp? http = null, IBusinessCalendar? businessHours = null) : IFlowTestRuns
{
    public async ValueTask<TestRunDto> StartAsync(Guid workspaceId, Guid flowId, string graphJson, string? contactName, string? channel, CancellationToken cancellationToken)
    {
        var compiled = compiler.Compile(graphJson);
        if (!compiled.IsValid)
            throw new FlowInvalidException(compiled.Problems);
        var conversation = new SimulatedConversation();
        var context = new FlowRunContext(conversation)
        {
            Http = http,
            BusinessHours = businessHours is null ? null : new FixedBusinessCalendar(await businessHours.GetAsync(cancellationToken)),
            Contact = new Dictionary<string, object?> { ["name"] = string.IsNullOrWhiteSpace(contactName) ? "Test customer" : contactName.Trim() },
            Conversation = new Dictionary<string, object?> { ["channel"] = string.IsNullOrWhiteSpace(channel) ? "api" : channel.Trim(), ["test"] = true },
        };
        var session = new TestRunSession(workspaceId, flowId, compiled.Flow!, context, conversation, clock.GetUtcNow() + TestRunStore.Lifetime);
        store.Add(session);
        // A flow started by a message waits for the first customer message, which then starts it, as live.
        if (compiled.Flow!.Trigger.Type != "MessageReceived")
            Apply(session, await runtime.StartAsync(session.Flow, session.Context, null, cancellationToken));
        return ToDto(session);
    }

    public async ValueTask<TestRunDto> SendAsync(Guid workspaceId, Guid flowId, Guid runId, string? text, string? buttonPayload, CancellationToken cancellationToken)
    {
        var session = store.Find(workspaceId, flowId, runId) ?? throw new NotFoundException("Test run", runId);
        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            var shown = text ?? session.Conversation.Transcript.SelectMany(l => l.Buttons).FirstOrDefault(b => b.Payload == buttonPayload)?.Title ?? buttonPayload ?? string.Empty;
            session.Conversation.Customer(shown);
            var message = new MessageStimulus(text ?? shown, buttonPayload);
            if (session.State is null)
                Apply(session, await runtime.StartAsync(session.Flow, session.Context, message, cancellationToken));
            else if (session.State.Status == FlowInstanceStatus.Waiting)
                Apply(session, await runtime.ResumeAsync(session.Flow, session.State, session.Context, message, cancellationToken));
            return ToDto(session);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private static void Apply(TestRunSession session, FlowRunResult result)
    {
        session.State = result.State;
        session.Journal.AddRange(result.Journal);
    }

    private static TestRunDto ToDto(TestRunSession session)
    {
        var state = session.State;
        var status = state is null ? "waiting"
            : session.Conversation.HandOff is not null && state.Status is FlowInstanceStatus.Completed or FlowInstanceStatus.Waiting && state.Bookmark?.Kind is null or BookmarkKind.Release ? "handedOff"
            : state.Status switch
            {
                FlowInstanceStatus.Waiting => "waiting",
                FlowInstanceStatus.Completed => "completed",
                FlowInstanceStatus.Faulted => "faulted",
                FlowInstanceStatus.Cancelled => "completed",
                _ => "running",
            };
        return new TestRunDto(
            session.Id,
            status,
            [.. session.Conversation.Transcript],
            state is null ? [] : [.. state.Path],
            state is null ? new Dictionary<string, object?>() : state.Variables.ToDictionary(v => v.Key, v => (object?)Values.Text(v.Value) is var t && v.Value is double or bool ? v.Value : t),
            session.Conversation.HandOff,
            session.Journal.Select(ToDto).ToList());
    }

    public static JournalEntryDto ToDto(JournalRecord r) =>
        new(r.Sequence, r.NodeId, r.ActivityType, r.Inputs, r.Outcome, r.StartedAt, r.DurationMs, r.MessagesSent, r.Assignment, r.Decision?.Explanation);
}
