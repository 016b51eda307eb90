namespace OneInbox.Application.Flows;

/// <summary>A graph cannot be published or run; answered 422 with the problems for the designer to show.</summary>
public sealed class FlowInvalidException(IReadOnlyList<FlowProblem> problems)
    : Exception("The flow has problems: " + string.Join(" ", problems.Take(5).Select(p => p.Message)))
{
    public IReadOnlyList<FlowProblem> Problems { get; } = problems;
}
