using OneInbox.Workflows.Runtime;
using static OneInbox.UnitTests.Workflows.G;
using OneInbox.Domain.Flows;

namespace OneInbox.UnitTests.Workflows;

public class RuntimeTests
{
    private static string Question() => Graph(
        [Node("n1", "AskQuestion", new { prompt = "Name?", variable = "name" }), Node("n2", "SendMessage", new { text = "Hi {{ vars.name }}" })],
        [Edge("n1", "answered", "n2")],
        [Var("name")]);

    [Fact]
    public async Task A_waiting_instance_survives_being_stored_and_resumes_where_it_waited()
    {
        var flow = FlowHarness.For(Question());
        var started = await flow.StartAsync();
        var stored = started.State.ToJson();

        var restored = FlowInstanceState.FromJson(stored);
        var resumed = await flow.Runtime.ResumeAsync(flow.Flow, restored, flow.Context, new MessageStimulus("Ada", null), CancellationToken.None);

        Assert.True(resumed.Resumed);
        Assert.Equal(FlowInstanceStatus.Completed, resumed.State.Status);
        Assert.Equal("Hi Ada", flow.BotSaid.Last());
    }

    [Fact]
    public async Task A_redelivered_message_does_not_resume_twice()
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "AskQuestion", new { prompt = "1?", variable = "a" }), Node("n2", "AskQuestion", new { prompt = "2?", variable = "b" })],
            [Edge("n1", "answered", "n2")],
            [Var("a"), Var("b")]));
        await flow.StartAsync();

        Assert.True((await flow.SendAsync("first", id: "m-1")).Resumed);
        Assert.False((await flow.SendAsync("first", id: "m-1")).Resumed);

        Assert.Equal("first", flow.State.Variables["a"]);
        Assert.False(flow.State.Variables.ContainsKey("b"));
        Assert.Equal(["1?", "2?"], flow.BotSaid);
    }

    [Fact]
    public async Task A_stimulus_of_another_kind_leaves_the_bookmark_untouched()
    {
        var flow = FlowHarness.For(Question());
        await flow.StartAsync();
        var bookmark = flow.State.Bookmark;

        var result = await flow.ResumeAsync(new ReleasedStimulus());

        Assert.False(result.Resumed);
        Assert.Equal(bookmark, flow.State.Bookmark);
        Assert.Empty(result.Journal);
    }

    [Fact]
    public async Task A_loop_without_waiting_is_stopped_by_the_step_guard_and_handed_to_people()
    {
        var flow = FlowHarness.For(
            Graph([Node("n1", "SetVariable", new { name = "i", expression = "vars.i + 1" })], [Edge("n1", "done", "n1")], [Var("i", "number")]),
            new FlowRuntimeOptions { MaxStepsPerStimulus = 25 });

        await flow.StartAsync();

        Assert.Equal(FlowInstanceStatus.Faulted, flow.State.Status);
        Assert.Equal(25, flow.Journal.Count);
        Assert.Contains("loop", flow.Incident!.Message, StringComparison.Ordinal);
        Assert.Equal(FlowRuntime.FaultHandOffReason, flow.Conversation.HandOff!.Reason);
    }

    [Fact]
    public async Task A_failing_activity_raises_an_incident_hands_off_and_can_be_retried_from_that_node()
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "SetVariable", new { name = "age", value = "{{ message.text }}" }), Node("n2", "SendMessage", new { text = "Age {{ vars.age }}" })],
            [Edge("n1", "done", "n2")],
            [Var("age", "number")]));

        await flow.StartAsync("forty");

        Assert.Equal(FlowInstanceStatus.Faulted, flow.State.Status);
        Assert.Equal("n1", flow.Incident!.NodeId);
        Assert.Contains("not a number", flow.Incident.Message, StringComparison.Ordinal);
        Assert.Contains("not a number", flow.Journal.Single().Error, StringComparison.Ordinal);
        Assert.NotNull(flow.Conversation.HandOff);

        flow.State.Variables["age"] = null;
        var retried = await flow.ResumeAsync(new RetryStimulus());
        Assert.True(retried.Resumed);
        Assert.Equal("n1", retried.Journal[0].NodeId);
    }

    [Fact]
    public async Task Retrying_an_instance_that_did_not_fault_does_nothing()
    {
        var flow = FlowHarness.For(Question());
        await flow.StartAsync();
        Assert.False((await flow.ResumeAsync(new RetryStimulus())).Resumed);
    }

    [Fact]
    public async Task An_instance_past_its_maximum_duration_is_cancelled_and_handed_off_instead_of_resumed()
    {
        var flow = FlowHarness.For(Question(), new FlowRuntimeOptions { MaxInstanceDuration = TimeSpan.FromDays(1) });
        await flow.StartAsync();
        flow.Clock.Advance(TimeSpan.FromDays(2));

        var result = await flow.SendAsync("Ada");

        Assert.Equal(FlowInstanceStatus.Cancelled, result.State.Status);
        Assert.Equal(["Name?"], flow.BotSaid);
        Assert.NotNull(flow.Conversation.HandOff);
    }

    [Fact]
    public async Task An_outcome_without_an_edge_completes_the_flow()
    {
        var flow = FlowHarness.For(Graph([Node("n1", "Decision", new { condition = "false" })]));
        var result = await flow.StartAsync();
        Assert.Equal(FlowInstanceStatus.Completed, result.State.Status);
        Assert.Null(result.State.CurrentNodeId);
    }

    [Fact]
    public async Task The_journal_explains_each_step_with_evaluated_inputs_outcome_and_timing()
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "Decision", new { condition = "message.text contains 'agent'" }), Node("n2", "SendMessage", new { text = "Routing you, {{ contact.name }}" })],
            [Edge("n1", "true", "n2")]));
        await flow.StartAsync("agent please");

        Assert.Collection(flow.Journal,
            e =>
            {
                Assert.Equal((1, "n1", "Decision", "true"), (e.Sequence, e.NodeId, e.ActivityType, e.Outcome));
                Assert.Equal(true, e.Inputs["condition"]);
                Assert.Equal(flow.Clock.GetUtcNow(), e.StartedAt);
                Assert.True(e.DurationMs >= 0);
            },
            e =>
            {
                Assert.Equal((2, "n2", "done"), (e.Sequence, e.NodeId, e.Outcome));
                Assert.Equal("Routing you, Ada", e.Inputs["text"]);
                Assert.Equal(["Routing you, Ada"], e.MessagesSent);
            });
    }

    [Fact]
    public async Task A_waiting_instance_of_a_contact_who_restricted_processing_ends_and_goes_to_people()
    {
        var flow = FlowHarness.For(Question());
        await flow.StartAsync();
        var restricted = new FlowRunContext(flow.Conversation) { ContactRestricted = true };

        var result = await flow.Runtime.ResumeAsync(flow.Flow, flow.State, restricted, new MessageStimulus("Ada", null), CancellationToken.None);

        Assert.Equal(FlowInstanceStatus.Cancelled, result.State.Status);
        Assert.Equal(["Name?"], flow.BotSaid);
        Assert.Contains("restricted", flow.Conversation.HandOff!.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => flow.Runtime.StartAsync(flow.Flow, restricted, null, CancellationToken.None).AsTask());
    }
}
