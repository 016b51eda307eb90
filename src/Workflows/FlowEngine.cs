using System.Text.Json;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Compilation;

namespace OneInbox.Workflows;

/// <summary>The engine as the use cases see it: catalogue, validation and trigger indexing.</summary>
public sealed class FlowEngine(ActivityCatalog catalog, FlowCompiler compiler) : IFlowEngine
{
    public IReadOnlyList<ActivityDescriptorDto> Descriptors => catalog.Descriptors;

    public IReadOnlyList<FlowProblem> Validate(string graphJson) => compiler.Compile(graphJson).Problems;

    public FlowTriggerIndex DescribeTrigger(string graphJson)
    {
        if (!FlowGraph.TryParse(graphJson, out var graph, out _))
            return new FlowTriggerIndex("Manual", "{}");
        var trigger = graph.Trigger ?? new FlowTriggerSpec("Manual", null);
        return new FlowTriggerIndex(trigger.Type, JsonSerializer.Serialize(trigger.Inputs ?? [], FlowGraph.Json));
    }
}
