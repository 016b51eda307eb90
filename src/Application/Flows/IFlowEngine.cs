using System.Text.Json;

namespace OneInbox.Application.Flows;

/// <summary>
/// What the automation engine offers the use cases: the activity catalogue, graph validation and the
/// trigger a published graph declares. Implemented by src/Workflows.
/// </summary>
public interface IFlowEngine
{
    IReadOnlyList<ActivityDescriptorDto> Descriptors { get; }

    /// <summary>Every problem that would stop the graph from being published; empty when it is valid.</summary>
    IReadOnlyList<FlowProblem> Validate(string graphJson);

    /// <summary>The trigger row to index for a valid graph at publish.</summary>
    FlowTriggerIndex DescribeTrigger(string graphJson);
}

/// <summary>A trigger as indexed at publish: its type and the filter the dispatcher matches, as JSON.</summary>
public sealed record FlowTriggerIndex(string Type, string FilterJson);

public sealed record ActivityDescriptorDto(
    string Type,
    int TypeVersion,
    string DisplayName,
    string Category,
    string Description,
    string Icon,
    IReadOnlyList<ActivityInputDto> Inputs,
    IReadOnlyList<string> Outcomes,
    DynamicOutcomesDto? DynamicOutcomes);

public sealed record ActivityInputDto(
    string Name,
    string DisplayName,
    string Kind,
    bool Required,
    JsonElement? DefaultValue,
    IReadOnlyList<InputOptionDto>? Options,
    string? Hint);

public sealed record InputOptionDto(string Value, string Label);

public sealed record DynamicOutcomesDto(string FromInput, IReadOnlyList<string> Extra);
