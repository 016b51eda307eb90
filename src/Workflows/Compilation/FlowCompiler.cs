using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cronos;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Expressions;

namespace OneInbox.Workflows.Compilation;

public sealed record CompilationResult(CompiledFlow? Flow, IReadOnlyList<FlowProblem> Problems)
{
    public bool IsValid => Flow is not null && Problems.Count == 0;
}

/// <summary>
/// Checks a graph and compiles it into an executable flow. Published versions are immutable, so their
/// compiled form is cached by version id and reused by every instance and stimulus.
/// </summary>
public sealed class FlowCompiler(ActivityCatalog catalog)
{
    public static readonly string[] VariableTypes = ["text", "number", "boolean", "date", "json"];
    public const int MaxExplanationLength = 1000;

    public static readonly string[] TriggerTypes = ["MessageReceived", "ConversationCreated", "ConversationResolved", "Schedule", "Manual"];

    private readonly ConcurrentDictionary<Guid, CompiledFlow> _versions = new();

    /// <summary>The compiled form of a published version (compiled on first use); a version that fails to compile throws.</summary>
    public CompiledFlow ForVersion(Guid versionId, string graphJson) =>
        _versions.GetOrAdd(versionId, static (_, state) =>
        {
            var result = state.Compiler.Compile(state.Json);
            return result.IsValid
                ? result.Flow!
                : throw new InvalidOperationException("A published version does not compile: " + string.Join("; ", result.Problems.Select(p => p.Message)));
        }, (Compiler: this, Json: graphJson));

    public CompilationResult Compile(string graphJson)
    {
        if (!FlowGraph.TryParse(graphJson, out var graph, out var error))
            return new CompilationResult(null, [new FlowProblem(null, null, error!)]);
        return Compile(graph);
    }

    public CompilationResult Compile(FlowGraph graph)
    {
        var problems = new List<FlowProblem>();
        var variables = CheckVariables(graph, problems);
        var trigger = graph.Trigger ?? new FlowTriggerSpec("Manual", null);
        CheckTrigger(trigger, problems);

        var nodes = new Dictionary<string, CompiledNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes ?? [])
        {
            if (node is null || string.IsNullOrWhiteSpace(node.Id))
            {
                problems.Add(new FlowProblem(null, "id", "Every node needs an id."));
                continue;
            }
            if (nodes.ContainsKey(node.Id))
            {
                problems.Add(new FlowProblem(node.Id, "id", $"Node id '{node.Id}' is used twice."));
                continue;
            }
            if (!catalog.TryGet(node.Type, node.TypeVersion, out var activity))
            {
                problems.Add(new FlowProblem(node.Id, "type", $"There is no activity '{node.Type}' version {node.TypeVersion}."));
                continue;
            }
            var inputs = new NodeInputs(node, variables, problems);
            foreach (var required in activity.Descriptor.Inputs.Where(i => i.Required && !inputs.Has(i.Name) && i.DefaultValue is null))
                inputs.Problem(required.Name, $"'{required.DisplayName}' is required.");
            var step = activity.Compile(inputs);
            nodes[node.Id] = new CompiledNode(node.Id, activity, step, CompileExplanation(node, problems));
        }

        foreach (var edge in graph.Edges ?? [])
        {
            if (edge is null || !nodes.TryGetValue(edge.Source ?? string.Empty, out var source))
            {
                problems.Add(new FlowProblem(edge?.Source, null, $"An edge starts at unknown node '{edge?.Source}'."));
                continue;
            }
            if (!nodes.TryGetValue(edge.Target ?? string.Empty, out var target))
            {
                problems.Add(new FlowProblem(edge.Source, null, $"An edge from '{edge.Source}' leads to unknown node '{edge.Target}'."));
                continue;
            }
            var port = string.IsNullOrWhiteSpace(edge.SourcePort) ? Activity.Done : edge.SourcePort;
            if (!source.Outcomes.Contains(port, StringComparer.Ordinal))
            {
                problems.Add(new FlowProblem(edge.Source, null,
                    $"Node '{edge.Source}' has no outcome '{port}'; its outcomes are {string.Join(", ", source.Outcomes)}."));
                continue;
            }
            if (!source.Connect(port, target))
                problems.Add(new FlowProblem(edge.Source, null, $"Outcome '{port}' of node '{edge.Source}' is connected twice; it can lead to one node only."));
        }

        CompiledNode? start = null;
        if (string.IsNullOrWhiteSpace(graph.Start))
            problems.Add(new FlowProblem(null, "start", "The flow has no start node."));
        else if (!nodes.TryGetValue(graph.Start, out start))
            problems.Add(new FlowProblem(null, "start", $"The start node '{graph.Start}' does not exist."));

        return problems.Count == 0 && start is not null
            ? new CompilationResult(new CompiledFlow(nodes, start, variables, trigger), problems)
            : new CompilationResult(null, problems);
    }

    /// <summary>A significant decision needs an explanation a customer can read; it is checked at publish, not when it runs.</summary>
    private static CompiledTemplate? CompileExplanation(FlowNode node, List<FlowProblem> problems)
    {
        if (node.Decision is not { Significant: true } decision)
            return null;
        if (string.IsNullOrWhiteSpace(decision.Explanation))
        {
            problems.Add(new FlowProblem(node.Id, "decision.explanation", "A significant decision needs an explanation in plain language (why the bot decided this)."));
            return null;
        }
        if (decision.Explanation.Length > MaxExplanationLength)
        {
            problems.Add(new FlowProblem(node.Id, "decision.explanation", $"The explanation is longer than {MaxExplanationLength} characters."));
            return null;
        }
        try
        {
            return CompiledTemplate.Compile(decision.Explanation);
        }
        catch (ExpressionException e)
        {
            problems.Add(new FlowProblem(node.Id, "decision.explanation", e.Message));
            return null;
        }
    }

    private static Dictionary<string, string> CheckVariables(FlowGraph graph, List<FlowProblem> problems)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in graph.Variables ?? [])
        {
            if (variable is null || string.IsNullOrWhiteSpace(variable.Name) || !IsIdentifier(variable.Name))
            {
                problems.Add(new FlowProblem(null, "variables", $"'{variable?.Name}' is not a valid variable name (letters, digits and _; not starting with a digit)."));
                continue;
            }
            if (!VariableTypes.Contains(variable.Type))
                problems.Add(new FlowProblem(null, "variables", $"Variable '{variable.Name}' has type '{variable.Type}'; use one of {string.Join(", ", VariableTypes)}."));
            if (!variables.TryAdd(variable.Name, variable.Type ?? "text"))
                problems.Add(new FlowProblem(null, "variables", $"Variable '{variable.Name}' is declared twice."));
        }
        return variables;
    }

    private static bool IsIdentifier(string name) =>
        (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static void CheckTrigger(FlowTriggerSpec trigger, List<FlowProblem> problems)
    {
        if (!TriggerTypes.Contains(trigger.Type))
        {
            problems.Add(new FlowProblem(null, "trigger.type", $"Trigger '{trigger.Type}' is unknown; use one of {string.Join(", ", TriggerTypes)}."));
            return;
        }
        var inputs = trigger.Inputs ?? [];
        if (trigger.Type == "Schedule")
        {
            var cron = inputs.TryGetValue("cron", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (string.IsNullOrWhiteSpace(cron))
            {
                problems.Add(new FlowProblem(null, "trigger.cron", "A schedule trigger needs a cron expression."));
            }
            else
            {
                try
                {
                    _ = CronExpression.Parse(cron, cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
                }
                catch (CronFormatException e)
                {
                    problems.Add(new FlowProblem(null, "trigger.cron", $"The cron expression is not valid: {e.Message}"));
                }
            }
        }
        if (trigger.Type == "MessageReceived" && inputs.TryGetValue("regex", out var r) && r.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(r.GetString()))
        {
            try
            {
                _ = new Regex(r.GetString()!, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                problems.Add(new FlowProblem(null, "trigger.regex", $"The regular expression is not valid: {e.Message}"));
            }
        }
    }
}
