using OneInbox.Application.Flows;

namespace OneInbox.UnitTests.Workflows;

public class CompilerTests
{
    private static IReadOnlyList<FlowProblem> Problems(string graph) => G.Compiler().Compile(graph).Problems;

    [Fact]
    public void A_graph_that_is_not_json_of_the_format_is_one_problem() =>
        Assert.Single(Problems("""{"nodes": 5}"""));

    [Fact]
    public void Unknown_activities_edges_and_ports_are_each_reported_on_their_node()
    {
        var problems = Problems(G.Graph(
            [G.Node("n1", "SendMessage", new { text = "hi" }), G.Node("n2", "Teleport"), G.Node("n3", "Decision", new { condition = "true" })],
            [G.Edge("n1", "done", "n9"), G.Edge("n3", "maybe", "n1"), G.Edge("n3", "true", "n1"), G.Edge("n3", "true", "n3")]));
        Assert.Contains(problems, p => p.NodeId == "n2" && p.Field == "type");
        Assert.Contains(problems, p => p.NodeId == "n1" && p.Message.Contains("unknown node 'n9'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.NodeId == "n3" && p.Message.Contains("no outcome 'maybe'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.NodeId == "n3" && p.Message.Contains("connected twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_inputs_bad_expressions_and_undeclared_variables_are_reported_by_field()
    {
        var problems = Problems(G.Graph(
            [G.Node("n1", "SendMessage"), G.Node("n2", "Decision", new { condition = "vars.x ==" }), G.Node("n3", "AskQuestion", new { prompt = "Email?", variable = "email" })]));
        Assert.Contains(problems, p => p is { NodeId: "n1", Field: "text" });
        Assert.Contains(problems, p => p is { NodeId: "n2", Field: "condition" });
        Assert.Contains(problems, p => p is { NodeId: "n3", Field: "variable" } && p.Message.Contains("not declared", StringComparison.Ordinal));
    }

    [Fact]
    public void A_flow_needs_an_existing_start_node()
    {
        Assert.Contains(Problems(G.Graph([G.Node("n1", "End")], start: null)), p => p.Field == "start");
        Assert.Contains(Problems(G.Graph([G.Node("n1", "End")], start: "n7")), p => p.Field == "start");
    }

    [Fact]
    public void Triggers_are_checked_for_type_cron_and_regular_expression()
    {
        Assert.Contains(Problems(G.Graph([G.Node("n1", "End")], trigger: new { type = "Schedule", inputs = new { cron = "every day" } })), p => p.Field == "trigger.cron");
        Assert.Contains(Problems(G.Graph([G.Node("n1", "End")], trigger: new { type = "MessageReceived", inputs = new { regex = "([a-" } })), p => p.Field == "trigger.regex");
        Assert.Contains(Problems(G.Graph([G.Node("n1", "End")], trigger: new { type = "Telepathy" })), p => p.Field == "trigger.type");
        Assert.Empty(Problems(G.Graph([G.Node("n1", "End")], trigger: new { type = "Schedule", inputs = new { cron = "0 9 * * 1-5" } })));
    }

    [Fact]
    public void Variables_need_valid_names_and_known_types()
    {
        var problems = Problems(G.Graph([G.Node("n1", "End")], variables: [G.Var("1st"), G.Var("ok", "money"), G.Var("a"), G.Var("a")]));
        Assert.Equal(3, problems.Count(p => p.Field == "variables"));
    }

    [Fact]
    public void Every_activity_has_a_descriptor_with_outcomes_and_typed_inputs()
    {
        var descriptors = OneInbox.Workflows.Activities.BuiltInActivities.Catalog().Descriptors;
        Assert.Equal(22, descriptors.Count);
        Assert.All(descriptors, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.DisplayName));
            Assert.All(d.Inputs, i => Assert.Contains(i.Kind, new[] { "text", "template", "expression", "number", "boolean", "choice", "keywords", "buttons", "choices", "cases", "team", "agent", "duration", "calendar", "variable", "json", "headers" }));
        });
        Assert.Equal("choices", descriptors.Single(d => d.Type == "AskQuestion").DynamicOutcomes!.FromInput);
    }
}
