using OneInbox.Application.Flows;
using OneInbox.Workflows.Expressions;

namespace OneInbox.Workflows.Compilation;

/// <summary>A graph compiled once: nodes resolved to steps and edges resolved to node references.</summary>
public sealed class CompiledFlow
{
    internal CompiledFlow(IReadOnlyDictionary<string, CompiledNode> nodes, CompiledNode start, IReadOnlyDictionary<string, string> variables, FlowTriggerSpec trigger)
    {
        Nodes = nodes;
        Start = start;
        Variables = variables;
        Trigger = trigger;
    }

    public IReadOnlyDictionary<string, CompiledNode> Nodes { get; }

    public CompiledNode Start { get; }

    /// <summary>Declared variables: name to type.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    public FlowTriggerSpec Trigger { get; }
}

public sealed class CompiledNode(string id, Activity activity, ActivityStep step, CompiledTemplate? explanation = null)
{
    private readonly Dictionary<string, CompiledNode> _next = new(StringComparer.Ordinal);

    public string Id { get; } = id;

    public Activity Activity { get; } = activity;

    public ActivityStep Step { get; } = step;

    /// <summary>Set on a significant decision: the plain-language explanation its journal entries carry.</summary>
    public CompiledTemplate? Explanation { get; } = explanation;

    public bool IsSignificant => Explanation is not null;

    public IReadOnlyList<string> Outcomes => Step.Outcomes ?? Activity.Descriptor.Outcomes;

    /// <summary>The node an outcome leads to; null ends the flow.</summary>
    public CompiledNode? Next(string outcome) => _next.GetValueOrDefault(outcome);

    internal bool Connect(string port, CompiledNode target) => _next.TryAdd(port, target);
}
