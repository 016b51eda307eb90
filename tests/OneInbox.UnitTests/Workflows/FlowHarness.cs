using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Activities;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Runtime;
using OneInbox.Workflows.Simulation;

namespace OneInbox.UnitTests.Workflows;

/// <summary>Builds graphs in the documented JSON format and runs them against an in-memory conversation.</summary>
internal static class G
{
    public static object Node(string id, string type, object? inputs = null) =>
        new { id, type, typeVersion = 1, inputs = inputs ?? new { }, position = new { x = 0, y = 0 } };

    public static object Edge(string source, string port, string target) => new { source, sourcePort = port, target };

    public static object Var(string name, string type = "text") => new { name, type };

    public static string Graph(object[] nodes, object[]? edges = null, object[]? variables = null, object? trigger = null, string? start = "n1") =>
        JsonSerializer.Serialize(new
        {
            nodes,
            edges = edges ?? [],
            variables = variables ?? [],
            trigger = trigger ?? new { type = "Manual", inputs = new { } },
            start,
        }, FlowGraph.Json);

    public static FlowCompiler Compiler() => new(BuiltInActivities.Catalog());
}

internal sealed class FlowHarness
{
    private FlowHarness(CompiledFlow flow, FlowRuntimeOptions options, IOutboundHttp? http, IBusinessCalendar? businessHours)
    {
        Flow = flow;
        Runtime = new FlowRuntime(Clock, options);
        Context = new FlowRunContext(Conversation)
        {
            Http = http,
            BusinessHours = businessHours,
            Contact = new Dictionary<string, object?> { ["name"] = "Ada" },
            Conversation = new Dictionary<string, object?> { ["channel"] = "telegram" },
        };
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero));

    public SimulatedConversation Conversation { get; } = new();

    public FlowRunContext Context { get; }

    public FlowRuntime Runtime { get; }

    public CompiledFlow Flow { get; }

    public FlowInstanceState State { get; private set; } = null!;

    public List<JournalRecord> Journal { get; } = [];

    public IncidentRecord? Incident { get; private set; }

    public IEnumerable<string> BotSaid => Conversation.Transcript.Where(l => l.From == "bot").Select(l => l.Text);

    public static FlowHarness For(string graph, FlowRuntimeOptions? options = null, IOutboundHttp? http = null, IBusinessCalendar? businessHours = null)
    {
        var result = G.Compiler().Compile(graph);
        Assert.True(result.IsValid, string.Join("\n", result.Problems.Select(p => $"{p.NodeId}.{p.Field}: {p.Message}")));
        return new FlowHarness(result.Flow!, options ?? new FlowRuntimeOptions(), http, businessHours);
    }

    public async Task<FlowRunResult> StartAsync(string? text = null)
    {
        var result = await Runtime.StartAsync(Flow, Context, text is null ? null : new MessageStimulus(text, null), CancellationToken.None);
        return Take(result);
    }

    public Task<FlowRunResult> SendAsync(string? text, string? payload = null, string? id = null) =>
        ResumeAsync(new MessageStimulus(text, payload, id));

    public async Task<FlowRunResult> ResumeAsync(Stimulus stimulus)
    {
        // Every stimulus reads the state back from its stored form, as a live resume after a restart would.
        var stored = FlowInstanceState.FromJson(State.ToJson());
        return Take(await Runtime.ResumeAsync(Flow, stored, Context, stimulus, CancellationToken.None));
    }

    private FlowRunResult Take(FlowRunResult result)
    {
        State = result.State;
        Journal.AddRange(result.Journal);
        Incident = result.Incident ?? Incident;
        return result;
    }
}
