using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneInbox.Application.Flows;

/// <summary>
/// A flow as the designer draws it and docs/flow-format.md documents it: activity nodes joined by edges on
/// named outcome ports, typed flow variables, the trigger that starts it and the first node.
/// Drafts are stored as the client sent them (even when invalid); this shape is what the engine reads.
/// </summary>
public sealed record FlowGraph
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public const string EmptyJson = """{"nodes":[],"edges":[],"variables":[],"trigger":{"type":"Manual","inputs":{}},"start":null}""";

    public List<FlowNode> Nodes { get; init; } = [];

    public List<FlowEdge> Edges { get; init; } = [];

    public List<FlowVariable> Variables { get; init; } = [];

    public FlowTriggerSpec? Trigger { get; init; }

    public string? Start { get; init; }

    /// <summary>Reads a stored graph; a graph that is not even this shape is reported, not thrown.</summary>
    public static bool TryParse(string json, out FlowGraph graph, out string? error)
    {
        try
        {
            graph = JsonSerializer.Deserialize<FlowGraph>(json, Json) ?? new FlowGraph();
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            graph = new FlowGraph();
            error = $"The graph is not in the flow format: {e.Message}";
            return false;
        }
    }
}

public sealed record FlowNode(
    string Id,
    string Type,
    int TypeVersion,
    Dictionary<string, JsonElement>? Inputs,
    FlowPosition? Position,
    FlowDecision? Decision = null);

/// <summary>
/// A node an admin marked as a significant automated decision (refusing a refund, routing to a lower tier, ending the
/// conversation): its journal entries carry the explanation, a Liquid template rendered with the values of that moment,
/// and customers can contest it (human review).
/// </summary>
public sealed record FlowDecision(bool Significant, string? Explanation);

public sealed record FlowPosition(double X, double Y);

public sealed record FlowEdge(string Source, string SourcePort, string Target);

/// <param name="Type">text, number, boolean, date or json.</param>
public sealed record FlowVariable(string Name, string Type);

/// <param name="Type">MessageReceived, ConversationCreated, ConversationResolved, Schedule or Manual.</param>
public sealed record FlowTriggerSpec(string Type, Dictionary<string, JsonElement>? Inputs);

/// <summary>One thing wrong with a graph, pointing at the node and input the designer should highlight.</summary>
public sealed record FlowProblem(string? NodeId, string? Field, string Message);
