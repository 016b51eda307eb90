using NSubstitute;
using NSubstitute.ExceptionExtensions;
using OneInbox.Application.Teams;
using OneInbox.Application.Flows;
using OneInbox.Domain.Workspaces;
using OneInbox.Workflows.Runtime;
using static OneInbox.UnitTests.Workflows.G;
using OneInbox.Domain.Flows;

namespace OneInbox.UnitTests.Workflows;

public class ActivityTests
{
    private static readonly object[] EmailVar = [Var("email")];

    [Fact]
    public async Task Send_message_renders_its_template_and_offers_buttons()
    {
        var flow = FlowHarness.For(Graph([Node("n1", "SendMessage", new
        {
            text = "Hello {{ contact.name }} on {{ conversation.channel }}",
            buttons = new[] { new { title = "Sales", payload = "sales" } },
        })]));

        var result = await flow.StartAsync();

        var line = Assert.Single(flow.Conversation.Transcript);
        Assert.Equal("Hello Ada on telegram", line.Text);
        Assert.Equal("sales", Assert.Single(line.Buttons).Payload);
        Assert.Equal(FlowInstanceStatus.Completed, result.State.Status);
        Assert.Equal(["Hello Ada on telegram"], result.Journal.Single().MessagesSent);
    }

    private static string EmailQuestion(int maxAttempts = 3, string? timeout = null) => Graph(
        [
            Node("n1", "AskQuestion", new { prompt = "Your email?", validation = "email", variable = "email", retryMessage = "That is not an email.", maxAttempts, timeout }),
            Node("ok", "SendMessage", new { text = "Thanks, {{ vars.email }}" }),
            Node("bad", "SendMessage", new { text = "Let me get a human." }),
            Node("late", "SendMessage", new { text = "Too slow." }),
        ],
        [Edge("n1", "answered", "ok"), Edge("n1", "invalid", "bad"), Edge("n1", "timeout", "late")],
        EmailVar);

    [Fact]
    public async Task Ask_question_waits_retries_an_invalid_answer_and_stores_a_valid_one()
    {
        var flow = FlowHarness.For(EmailQuestion());

        await flow.StartAsync();
        Assert.Equal(FlowInstanceStatus.Waiting, flow.State.Status);
        await flow.SendAsync("not an email");
        Assert.Equal(FlowInstanceStatus.Waiting, flow.State.Status);
        await flow.SendAsync("Ada@Example.org");

        Assert.Equal(["Your email?", "That is not an email.", "Thanks, ada@example.org"], flow.BotSaid);
        Assert.Equal("ada@example.org", flow.State.Variables["email"]);
        Assert.Equal(FlowInstanceStatus.Completed, flow.State.Status);
        Assert.Equal(["n1", "ok"], flow.State.Path);
    }

    [Fact]
    public async Task Ask_question_leaves_through_invalid_after_the_last_attempt()
    {
        var flow = FlowHarness.For(EmailQuestion(maxAttempts: 2));
        await flow.StartAsync();
        await flow.SendAsync("nope");
        await flow.SendAsync("still nope");
        Assert.Equal("Let me get a human.", flow.BotSaid.Last());
        Assert.Equal("invalid", flow.Journal.Last(j => j.NodeId == "n1").Outcome);
    }

    [Fact]
    public async Task Ask_question_times_out_only_on_its_own_timer()
    {
        var flow = FlowHarness.For(EmailQuestion(timeout: "1h"));
        await flow.StartAsync();
        var bookmark = flow.State.Bookmark!;
        Assert.Equal(flow.Clock.GetUtcNow().AddHours(1), bookmark.DueAt);

        var stale = await flow.ResumeAsync(new TimerStimulus(Guid.NewGuid()));
        Assert.False(stale.Resumed);

        await flow.ResumeAsync(new TimerStimulus(bookmark.Id));
        Assert.Equal("Too slow.", flow.BotSaid.Last());
    }

    [Fact]
    public async Task A_choice_question_follows_the_chosen_option_by_button_title_or_number()
    {
        var graph = Graph(
            [
                Node("n1", "AskQuestion", new { prompt = "Pick", validation = "choice", choices = new[] { new { title = "Sales", value = "sales" }, new { title = "Support", value = "support" } } }),
                Node("s", "SendMessage", new { text = "sales!" }),
                Node("t", "SendMessage", new { text = "support!" }),
            ],
            [Edge("n1", "sales", "s"), Edge("n1", "support", "t")]);

        var byButton = FlowHarness.For(graph);
        await byButton.StartAsync();
        Assert.Equal(["sales", "support"], byButton.Conversation.Transcript[0].Buttons.Select(b => b.Payload));
        await byButton.SendAsync("Sales", "sales");
        Assert.Equal("sales!", byButton.BotSaid.Last());

        var byNumber = FlowHarness.For(graph);
        await byNumber.StartAsync();
        await byNumber.SendAsync("2");
        Assert.Equal("support!", byNumber.BotSaid.Last());

        var byTitle = FlowHarness.For(graph);
        await byTitle.StartAsync();
        await byTitle.SendAsync(" SUPPORT ");
        Assert.Equal("support!", byTitle.BotSaid.Last());
    }

    [Theory]
    [InlineData("number", "12,5", 12.5)]
    [InlineData("phone", "+49 30 901820", "+4930901820")]
    [InlineData("date", "24.12.2026", "2026-12-24")]
    [InlineData("text", "  hello ", "hello")]
    public async Task Ask_question_normalises_what_it_validates(string validation, string answer, object expected)
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "AskQuestion", new { prompt = "?", validation, variable = "v" })], variables: [Var("v", validation == "number" ? "number" : "text")]));
        await flow.StartAsync();
        await flow.SendAsync(answer);
        Assert.Equal(expected, flow.State.Variables["v"]);
    }

    [Theory]
    [InlineData("I need an AGENT", "human")]
    [InlineData("hello", "bot")]
    public async Task Decision_follows_true_or_false(string text, string expected)
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "Decision", new { condition = "message.text contains 'agent'" }), Node("h", "SendMessage", new { text = "human" }), Node("b", "SendMessage", new { text = "bot" })],
            [Edge("n1", "true", "h"), Edge("n1", "false", "b")]));
        await flow.StartAsync(text);
        Assert.Equal(expected, flow.BotSaid.Single());
        Assert.Equal(expected == "human", flow.Journal[0].Inputs["condition"]);
    }

    [Theory]
    [InlineData("Billing", "b")]
    [InlineData("shipping", "s")]
    [InlineData("weather", "d")]
    public async Task Switch_follows_the_matching_case_or_default(string text, string expected)
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "Switch", new { expression = "trim(message.text)", cases = new[] { "billing", "shipping" } }),
             Node("b", "SendMessage", new { text = "b" }), Node("s", "SendMessage", new { text = "s" }), Node("d", "SendMessage", new { text = "d" })],
            [Edge("n1", "billing", "b"), Edge("n1", "shipping", "s"), Edge("n1", "default", "d")]));
        await flow.StartAsync(text);
        Assert.Equal(expected, flow.BotSaid.Single());
    }

    [Fact]
    public async Task Set_variable_stores_expressions_and_templates_in_the_declared_type()
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "SetVariable", new { name = "count", expression = "2 + 3" }), Node("n2", "SetVariable", new { name = "greeting", value = "Hi {{ contact.name }} x{{ vars.count }}" })],
            [Edge("n1", "done", "n2")],
            [Var("count", "number"), Var("greeting")]));
        await flow.StartAsync();
        Assert.Equal(5.0, flow.State.Variables["count"]);
        Assert.Equal("Hi Ada x5", flow.State.Variables["greeting"]);
    }

    [Fact]
    public async Task Contact_and_conversation_activities_act_through_the_conversation_port()
    {
        var team = Guid.NewGuid();
        var agent = Guid.NewGuid();
        var member = Guid.NewGuid();
        var port = Substitute.For<IConversationActions>();
        port.AssignToTeamAsync(team, TeamAssignmentStrategy.LeastBusy, Arg.Any<CancellationToken>()).Returns(member);
        var compiled = G.Compiler().Compile(Graph(
            [
                Node("n1", "SetContactAttribute", new { name = "plan", value = "gold" }),
                Node("n2", "AddTag", new { tag = "vip" }),
                Node("n3", "RemoveTag", new { tag = "new" }),
                Node("n4", "AddNote", new { text = "from {{ contact.name }}" }),
                Node("n5", "SetPriority", new { priority = "urgent" }),
                Node("n6", "AssignToTeam", new { teamId = team, strategy = "leastBusy" }),
                Node("n7", "AssignToAgent", new { userId = agent }),
                Node("n8", "ResolveConversation"),
            ],
            [Edge("n1", "done", "n2"), Edge("n2", "done", "n3"), Edge("n3", "done", "n4"), Edge("n4", "done", "n5"), Edge("n5", "done", "n6"), Edge("n6", "done", "n7"), Edge("n7", "done", "n8")])).Flow!;
        var context = new FlowRunContext(port) { Contact = new Dictionary<string, object?> { ["name"] = "Ada" } };

        var result = await new FlowRuntime(TimeProvider.System).StartAsync(compiled, context, null, CancellationToken.None);

        await port.Received(1).SetContactAttributeAsync("plan", "gold", Arg.Any<CancellationToken>());
        await port.Received(1).AddTagAsync("vip", Arg.Any<CancellationToken>());
        await port.Received(1).RemoveTagAsync("new", Arg.Any<CancellationToken>());
        await port.Received(1).AddNoteAsync("from Ada", Arg.Any<CancellationToken>());
        await port.Received(1).SetPriorityAsync("urgent", Arg.Any<CancellationToken>());
        await port.Received(1).AssignToAgentAsync(agent, Arg.Any<CancellationToken>());
        await port.Received(1).ResolveAsync(Arg.Any<CancellationToken>());
        Assert.Equal($"team {team}, member {member}", result.Journal.Single(j => j.NodeId == "n6").Assignment);
        Assert.Equal(8, result.Journal.Count);
    }

    [Fact]
    public async Task Hand_off_stops_the_bot_with_a_summary_of_what_it_collected()
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "SetVariable", new { name = "email", value = "a@b.co" }), Node("n2", "HandOff", new { reason = "Customer asked for a human" }), Node("n3", "SendMessage", new { text = "never" })],
            [Edge("n1", "done", "n2")],
            EmailVar));
        await flow.StartAsync();
        Assert.Equal(new HandOffDto("Customer asked for a human", "email: a@b.co"), flow.Conversation.HandOff);
        Assert.Equal(FlowInstanceStatus.Completed, flow.State.Status);
        Assert.Empty(flow.BotSaid);
    }

    [Fact]
    public async Task Hand_off_with_resume_continues_when_the_agent_releases_the_conversation()
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "HandOff", new { reason = "help", resumeOnRelease = true }), Node("n2", "SendMessage", new { text = "Back with the bot." })],
            [Edge("n1", "released", "n2")]));
        await flow.StartAsync();
        Assert.Equal(BookmarkKind.Release, flow.State.Bookmark!.Kind);

        Assert.False((await flow.SendAsync("hello?")).Resumed);
        await flow.ResumeAsync(new ReleasedStimulus());
        Assert.Equal("Back with the bot.", flow.BotSaid.Single());
    }

    [Fact]
    public async Task Delay_waits_on_a_durable_timer_and_continues_when_it_fires()
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "Delay", new { duration = "2h" }), Node("n2", "SendMessage", new { text = "Still there?" })],
            [Edge("n1", "done", "n2")]));
        await flow.StartAsync();
        Assert.Equal(BookmarkKind.Timer, flow.State.Bookmark!.Kind);
        Assert.Equal(flow.Clock.GetUtcNow().AddHours(2), flow.State.Bookmark.DueAt);
        Assert.False((await flow.SendAsync("hi")).Resumed);

        await flow.ResumeAsync(new TimerStimulus(flow.State.Bookmark.Id));
        Assert.Equal("Still there?", flow.BotSaid.Single());
    }

    [Theory]
    [InlineData("2026-11-23T10:00:00Z", "open")]   // Monday 11:00 in Berlin
    [InlineData("2026-11-23T17:30:00Z", "closed")] // Monday 18:30 in Berlin
    [InlineData("2026-11-22T10:00:00Z", "closed")] // Sunday
    [InlineData("2026-12-25T10:00:00Z", "closed")] // a Friday, but a holiday
    public async Task Business_hours_use_the_calendar_time_zone_and_holidays(string now, string expected)
    {
        var flow = FlowHarness.For(Graph(
            [Node("n1", "BusinessHours", new
            {
                calendar = new
                {
                    timeZone = "Europe/Berlin",
                    weekly = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(d => new { day = d, open = "09:00", close = "17:00" }),
                    holidays = new[] { "2026-12-25" },
                },
            })]));
        flow.Clock.SetUtcNow(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        await flow.StartAsync();
        Assert.Equal(expected, flow.Journal.Single().Outcome);
    }

    [Theory]
    [InlineData("2026-11-23T15:00:00Z", "open")]   // Monday 10:00 in New York
    [InlineData("2026-11-23T13:00:00Z", "closed")] // Monday 08:00 in New York, 14:00 in UTC
    [InlineData("2026-11-26T15:00:00Z", "closed")] // Thanksgiving, a closed date of the workspace
    public async Task Business_hours_without_a_calendar_of_their_own_read_the_workspace_calendar(string now, string expected)
    {
        var hours = BusinessHours.Create(
            [new OpeningHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(17, 0)), new OpeningHours(DayOfWeek.Thursday, new TimeOnly(9, 0), new TimeOnly(17, 0))],
            [new DateOnly(2026, 11, 26)]);
        var workspace = new FixedBusinessCalendar(new BusinessCalendar(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), hours));
        var flow = FlowHarness.For(Graph([Node("n1", "BusinessHours", new { })]), businessHours: workspace);
        flow.Clock.SetUtcNow(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        await flow.StartAsync();
        Assert.Equal(expected, flow.Journal.Single().Outcome);
        Assert.Equal("workspace", flow.Journal.Single().Inputs["calendar"]);
    }

    [Fact]
    public async Task Business_hours_without_any_calendar_fault_and_hand_the_conversation_to_people()
    {
        var flow = FlowHarness.For(Graph([Node("n1", "BusinessHours", new { })]));
        await flow.StartAsync();
        Assert.NotNull(flow.Incident);
        Assert.Contains("business hours", flow.Incident!.Message, StringComparison.Ordinal);
    }

    private static string HttpGraph() => Graph(
        [Node("n1", "HttpRequest", new { method = "POST", url = "https://api.example.com/orders/{{ vars.order }}", headers = new { Authorization = "Bearer x" }, body = """{"q":"{{ vars.order }}"}""", responseMapping = new { status = "order.status" } }),
         Node("ok", "SendMessage", new { text = "Status: {{ vars.status }}" }), Node("ko", "SendMessage", new { text = "Cannot check now." })],
        [Edge("n1", "done", "ok"), Edge("n1", "failed", "ko")],
        [Var("order"), Var("status")]);

    [Fact]
    public async Task Http_request_goes_through_the_guarded_port_and_maps_the_answer_into_variables()
    {
        var http = Substitute.For<IOutboundHttp>();
        http.SendAsync(Arg.Any<OutboundHttpRequest>(), Arg.Any<CancellationToken>()).Returns(new OutboundHttpResponse(200, """{"order":{"status":"shipped"}}"""));
        var flow = FlowHarness.For(HttpGraph(), http: http);
        await flow.StartAsync();
        await http.Received(1).SendAsync(Arg.Is<OutboundHttpRequest>(r => r.Method == "POST" && r.Url.AbsolutePath == "/orders/" && r.Headers["Authorization"] == "Bearer x"), Arg.Any<CancellationToken>());
        Assert.Equal("Status: shipped", flow.BotSaid.Single());
    }

    [Fact]
    public async Task Http_request_leaves_through_failed_on_an_error_status()
    {
        var http = Substitute.For<IOutboundHttp>();
        http.SendAsync(Arg.Any<OutboundHttpRequest>(), Arg.Any<CancellationToken>()).Returns(new OutboundHttpResponse(503, ""));
        var flow = FlowHarness.For(HttpGraph(), http: http);
        await flow.StartAsync();
        Assert.Equal("Cannot check now.", flow.BotSaid.Single());
    }

    [Fact]
    public async Task Http_request_timeouts_leave_through_failed()
    {
        var http = Substitute.For<IOutboundHttp>();
        http.SendAsync(Arg.Any<OutboundHttpRequest>(), Arg.Any<CancellationToken>()).ThrowsAsync(new TimeoutException());
        var flow = FlowHarness.For(HttpGraph(), http: http);
        await flow.StartAsync();
        Assert.Equal("Cannot check now.", flow.BotSaid.Single());
    }

    [Fact]
    public async Task End_stops_the_flow_whatever_follows()
    {
        var flow = FlowHarness.For(Graph([Node("n1", "End"), Node("n2", "SendMessage", new { text = "x" })]));
        await flow.StartAsync();
        Assert.Equal(FlowInstanceStatus.Completed, flow.State.Status);
        Assert.Empty(flow.BotSaid);
    }
}
