using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OneInbox.Application.Flows;
using OneInbox.Application.Teams;
using OneInbox.Workflows.Activities;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Runtime;

namespace WorkflowBench;

/// <summary>
/// Activity executions per second in memory: a compiled chain of Decision, SetVariable and SendMessage
/// nodes run by the real runtime (journal entries included), beside a plain delegate loop as the floor.
/// </summary>
[MemoryDiagnoser]
public class ActivityThroughput
{
    public const int Nodes = 300;

    private CompiledFlow _flow = null!;
    private FlowRuntime _runtime = null!;
    private FlowRunContext _context = null!;
    private Func<int, int>[] _delegates = null!;

    [GlobalSetup]
    public void Setup()
    {
        var nodes = new List<object>();
        var edges = new List<object>();
        for (var i = 0; i < Nodes; i++)
        {
            var id = $"n{i}";
            object node = (i % 3) switch
            {
                0 => new { id, type = "Decision", typeVersion = 1, inputs = new { condition = "message.text contains 'agent' or vars.count > 3" } },
                1 => new { id, type = "SetVariable", typeVersion = 1, inputs = new { name = "count", expression = "vars.count + 1" } },
                _ => new { id, type = "SendMessage", typeVersion = 1, inputs = new { text = "Step {{ vars.count }} for {{ contact.name }}" } },
            };
            nodes.Add(node);
            if (i + 1 < Nodes)
            {
                edges.Add(new { source = id, sourcePort = i % 3 == 0 ? "true" : "done", target = $"n{i + 1}" });
                if (i % 3 == 0)
                    edges.Add(new { source = id, sourcePort = "false", target = $"n{i + 1}" });
            }
        }
        var graph = JsonSerializer.Serialize(new
        {
            nodes, edges, variables = new[] { new { name = "count", type = "number" } },
            trigger = new { type = "Manual" }, start = "n0",
        }, FlowGraph.Json);
        var result = new FlowCompiler(BuiltInActivities.Catalog()).Compile(graph);
        _flow = result.Flow ?? throw new InvalidOperationException(string.Join("; ", result.Problems.Select(p => p.Message)));
        _runtime = new FlowRuntime(TimeProvider.System, new FlowRuntimeOptions { MaxStepsPerStimulus = Nodes + 1 });
        _context = new FlowRunContext(new DiscardingConversation())
        {
            Contact = new Dictionary<string, object?> { ["name"] = "Ada" },
        };
        _delegates = Enumerable.Range(0, Nodes).Select(i => (Func<int, int>)(x => x + i)).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Nodes)]
    public int DelegateLoop()
    {
        var x = 0;
        foreach (var step in _delegates)
            x = step(x);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Nodes)]
    public async Task<int> EngineActivities()
    {
        var result = await _runtime.StartAsync(_flow, _context, new MessageStimulus("I need an agent", null), CancellationToken.None);
        return result.Journal.Count;
    }
}

internal sealed class DiscardingConversation : IConversationActions
{
    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken) =>
        ValueTask.FromResult(name);

    public ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken) => ValueTask.FromResult<Guid?>(null);

    public ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask AddNoteAsync(string text, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ResolveAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask AddTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
