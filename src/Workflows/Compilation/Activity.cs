using System.Text.Json;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Compilation;

/// <summary>
/// An activity type: its descriptor (what the designer shows) and how a node of this type compiles into an
/// executable step. Compiling reads and checks the node's inputs once, so executing does no parsing.
/// </summary>
public abstract class Activity
{
    public const string Done = "done";

    public abstract ActivityDescriptorDto Descriptor { get; }

    public string Type => Descriptor.Type;

    public abstract ActivityStep Compile(NodeInputs inputs);

    protected static ActivityDescriptorDto Describe(
        string type, string displayName, string category, string description, string icon,
        IReadOnlyList<ActivityInputDto> inputs, IReadOnlyList<string> outcomes, DynamicOutcomesDto? dynamicOutcomes = null) =>
        new(type, 1, displayName, category, description, icon, inputs, outcomes, dynamicOutcomes);

    protected static ActivityInputDto Input(
        string name, string displayName, string kind, bool required = false, object? defaultValue = null,
        IReadOnlyList<InputOptionDto>? options = null, string? hint = null) =>
        new(name, displayName, kind, required, defaultValue is null ? null : JsonSerializer.SerializeToElement(defaultValue, FlowGraph.Json), options, hint);

    protected static IReadOnlyList<InputOptionDto> Options(params string[] values) =>
        values.Select(v => new InputOptionDto(v, char.ToUpperInvariant(v[0]) + v[1..])).ToList();
}

/// <summary>A compiled node's behaviour. Steps are shared by every instance of a version: no mutable state.</summary>
public abstract class ActivityStep
{
    /// <summary>Outcome ports that depend on the inputs (choices, cases); null when the descriptor's apply.</summary>
    public virtual IReadOnlyList<string>? Outcomes => null;

    public abstract ValueTask<StepResult> ExecuteAsync(ActivityExecution execution);

    /// <summary>Continues after the bookmark this step set was resumed by a matching stimulus.</summary>
    public virtual ValueTask<StepResult> ResumeAsync(ActivityExecution execution, Stimulus stimulus, Bookmark bookmark) =>
        ValueTask.FromResult(StepResult.Done);
}

/// <summary>Either an outcome to follow, or a bookmark to wait on.</summary>
public readonly record struct StepResult(string? Outcome, Bookmark? Wait)
{
    public static readonly StepResult Done = new(Activity.Done, null);

    /// <summary>The flow ends here, whatever edges follow.</summary>
    public static readonly StepResult Stop = new(null, null);

    public static StepResult Follow(string outcome) => new(outcome, null);

    public static StepResult WaitOn(Bookmark bookmark) => new(null, bookmark);

    public static ValueTask<StepResult> DoneTask => ValueTask.FromResult(Done);
}
