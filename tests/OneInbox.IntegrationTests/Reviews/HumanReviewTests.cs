using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Reviews;

/// <summary>
/// Human review on real parts: a published flow with a significant decision answers a Telegram customer through the
/// fake Bot API; the customer contests in their own words; an Auditor decides; the customer is told.
/// </summary>
public class HumanReviewTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string Refused = "Sorry, we cannot refund this order automatically.";

    [Fact]
    public async Task A_customer_contests_a_refused_refund_an_auditor_overturns_it_the_conversation_moves_and_the_customer_is_told()
    {
        var (teamId, _) = await SupportTeamAsync();
        var flowId = await PublishRefundFlowAsync();

        await WriteAsync(3001, "I want a refund");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Refused);
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Anything else?");
        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();

        // The explanation was rendered from the values at that moment.
        var instance = await InstanceAsync(conversationId);
        var decision = instance.GetProperty("journal").EnumerateArray().Single(j => j.GetProperty("nodeId").GetString() == "refund");
        Assert.True(decision.GetProperty("significant").GetBoolean());
        Assert.Equal("Refund refused: the order total was 120, above the 100 limit.", decision.GetProperty("explanation").GetString());
        Assert.Equal(120, decision.GetProperty("variables").GetProperty("total").GetDouble());

        await WriteAsync(3002, "This is wrong, I want a Human Review please");
        var opened = await WaitForCaseAsync();
        Assert.Equal("open", opened.GetProperty("status").GetString());
        Assert.Equal("chat", opened.GetProperty("source").GetString());
        Assert.Equal(conversationId, opened.GetProperty("conversationId").GetGuid());
        Assert.Equal(instance.GetProperty("id").GetGuid(), opened.GetProperty("instanceId").GetGuid());
        Assert.Equal("refund", opened.GetProperty("contestedNodeId").GetString());
        Assert.Equal(decision.GetProperty("sequence").GetInt32(), opened.GetProperty("contestedSequence").GetInt32());
        Assert.Equal("This is wrong, I want a Human Review please", opened.GetProperty("customerWords").GetString());
        Assert.Equal(flowId, opened.GetProperty("flowId").GetGuid());
        var dueIn = opened.GetProperty("dueAt").GetDateTimeOffset() - opened.GetProperty("openedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(7), dueIn);
        var reference = opened.GetProperty("reference").GetString()!;
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text")!.Contains(reference, StringComparison.Ordinal)
                                                            && c.Text("text")!.Contains("A person will review", StringComparison.Ordinal));

        // The bot stopped (its journal says why) and people have the conversation.
        var stopped = await InstanceAsync(conversationId);
        Assert.Equal("cancelled", stopped.GetProperty("status").GetString());
        Assert.Equal("ReviewRequested", stopped.GetProperty("journal").EnumerateArray().Last().GetProperty("activityType").GetString());
        var conversation = await ConversationAsync();
        Assert.Contains("human review", conversation.GetProperty("handOff").GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The case as the reviewer sees it: transcript, the run's graph, path and journal.
        var auditor = await Workspace.ClientAsync(WorkspaceRole.Auditor);
        var caseId = opened.GetProperty("id").GetGuid();
        var detail = await (await auditor.GetAsync($"/api/v1/reviews/{caseId}")).ReadAsync<JsonElement>();
        Assert.Contains(detail.GetProperty("transcript").EnumerateArray(), m => m.GetProperty("text").GetString() == "I want a refund");
        var run = Assert.Single(detail.GetProperty("instances").EnumerateArray());
        Assert.Equal(["total", "refund", "refused", "more"], run.GetProperty("path").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains(run.GetProperty("journal").EnumerateArray(), j => j.GetProperty("explanation").GetString() == "Refund refused: the order total was 120, above the 100 limit.");

        // An Agent opens cases but cannot decide them; a second case on the same conversation is refused.
        var agent = await Workspace.ClientAsync(WorkspaceRole.Agent);
        await (await agent.PostJsonAsync($"/api/v1/reviews/{caseId}/decide", new { outcome = "upheld", reason = "fine" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.PostJsonAsync("/api/v1/reviews", new { conversationId, words = "again" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await auditor.PostJsonAsync($"/api/v1/reviews/{caseId}/decide", new { outcome = "overturned", reason = "no actions" })).AssertProblemAsync(HttpStatusCode.Conflict);

        var started = await (await auditor.PostAsync($"/api/v1/reviews/{caseId}/start", null)).ReadAsync<JsonElement>();
        Assert.Equal("inReview", started.GetProperty("status").GetString());
        var decided = await (await auditor.PostJsonAsync($"/api/v1/reviews/{caseId}/decide", new
        {
            outcome = "overturned",
            reason = "Orders of loyal customers up to 150 are refunded.",
            actions = new object[] { new { type = "reassignTeam", teamId }, new { type = "addTag", tag = "refund-approved" } },
        })).ReadAsync<JsonElement>();
        Assert.Equal("overturned", decided.GetProperty("status").GetString());
        var outcome = decided.GetProperty("decision");
        Assert.StartsWith("moved to team Support", outcome.GetProperty("actions")[0].GetProperty("result").GetString(), StringComparison.Ordinal);
        var told = outcome.GetProperty("customerMessage").GetString()!;
        Assert.Contains("corrected it: Orders of loyal customers up to 150 are refunded.", told, StringComparison.Ordinal);
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == told);

        conversation = await ConversationAsync();
        Assert.Equal(teamId, conversation.GetProperty("teamId").GetGuid());
        var contact = await (await Admin.GetAsync($"/api/v1/contacts/{conversation.GetProperty("contactId").GetGuid()}")).ReadAsync<JsonElement>();
        Assert.Contains(contact.GetProperty("tags").EnumerateArray(), t => t.GetString() == "refund-approved");
        await (await auditor.PostJsonAsync($"/api/v1/reviews/{caseId}/decide", new { outcome = "upheld", reason = "twice" })).AssertProblemAsync(HttpStatusCode.Conflict);

        // Statistics count the case against the flow's significant node.
        var stats = await (await auditor.GetAsync($"/api/v1/reviews/stats?flowId={flowId}")).ReadAsync<JsonElement>();
        var row = Assert.Single(stats.EnumerateArray());
        Assert.Equal(("refund", 1, 0, 1, 0), (row.GetProperty("nodeId").GetString(), row.GetProperty("contested").GetInt32(), row.GetProperty("upheld").GetInt32(),
            row.GetProperty("overturned").GetInt32(), row.GetProperty("open").GetInt32()));
        Assert.False(row.GetProperty("flagged").GetBoolean());

        // The record, for a regulator or the customer.
        var html = await (await auditor.GetAsync($"/api/v1/reviews/{caseId}/record.html")).Content.ReadAsStringAsync();
        Assert.Contains("Refund refused: the order total was 120, above the 100 limit.", html, StringComparison.Ordinal);
        Assert.Contains("Orders of loyal customers up to 150 are refunded.", html, StringComparison.Ordinal);
        var file = await auditor.GetAsync($"/api/v1/reviews/{caseId}/record");
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(caseId, (await file.ReadAsync<JsonElement>()).GetProperty("id").GetGuid());

        // Another workspace's auditor sees nothing of it.
        var other = await App.CreateWorkspaceAsync("Other");
        var stranger = await other.ClientAsync(WorkspaceRole.Auditor);
        await (await stranger.GetAsync($"/api/v1/reviews/{caseId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Owner.Client.PostJsonAsync($"/api/v1/reviews/{caseId}/decide", new { outcome = "upheld", reason = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await stranger.GetAsync("/api/v1/reviews")).ReadAsync<JsonElement>()).EnumerateArray());
    }

    [Fact]
    public async Task Upheld_once_and_overturned_twice_a_node_is_flagged_and_a_reviewer_can_run_the_flow_again_from_the_right_node()
    {
        await PublishRefundFlowAsync();
        await (await Admin.PutAsJsonAsync("/api/v1/reviews/settings", new { dueDays = 3, flagShare = 0.4 })).ReadAsync<JsonElement>();
        await WriteAsync(4001, "refund please");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Anything else?");
        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();
        var owner = Admin;
        var auditor = await Workspace.ClientAsync(WorkspaceRole.Auditor);

        var restart = new { type = "restartFlow", nodeId = "approved" };
        var decisions = new (string Outcome, object[] Actions)[]
        {
            ("upheld", []),
            ("overturned", [new { type = "setAttribute", key = "refund", value = "approved" }]),
            ("overturned", [restart]),
        };
        foreach (var (outcome, actions) in decisions)
        {
            var opened = await (await owner.PostJsonAsync("/api/v1/reviews", new { conversationId, words = "The customer called: the refusal is wrong." }))
                .ReadAsync<JsonElement>(HttpStatusCode.Created);
            Assert.Equal("agent", opened.GetProperty("source").GetString());
            Assert.Equal("refund", opened.GetProperty("contestedNodeId").GetString());
            Assert.Equal(TimeSpan.FromDays(3), opened.GetProperty("dueAt").GetDateTimeOffset() - opened.GetProperty("openedAt").GetDateTimeOffset());
            var decide = $"/api/v1/reviews/{opened.GetProperty("id").GetGuid()}/decide";
            if (actions.Contains(restart))
            {
                var wrong = await (await auditor.PostJsonAsync(decide, new { outcome, reason = "Checked.", actions = new[] { new { type = "restartFlow", nodeId = "nowhere" } } }))
                    .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
                Assert.Contains("no node 'nowhere'", wrong.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
            await (await auditor.PostJsonAsync(decide, new { outcome, reason = "Checked.", actions })).ReadAsync<JsonElement>();
        }

        // The agent's first case stopped the waiting flow; the last overturn ran it again from "approved", the bot's again.
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Your refund is on its way.");
        Assert.Equal(JsonValueKind.Null, (await ConversationAsync()).GetProperty("handOff").ValueKind);
        var runs = await (await Admin.GetAsync($"/api/v1/flow-instances?conversationId={conversationId}")).ReadAsync<JsonElement>();
        Assert.Equal(["cancelled", "completed"], runs.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("status").GetString()).Order());

        var row = Assert.Single((await (await auditor.GetAsync("/api/v1/reviews/stats")).ReadAsync<JsonElement>()).EnumerateArray());
        Assert.Equal((3, 1, 2), (row.GetProperty("contested").GetInt32(), row.GetProperty("upheld").GetInt32(), row.GetProperty("overturned").GetInt32()));
        Assert.Equal(0.667, row.GetProperty("overturnedShare").GetDouble());
        Assert.True(row.GetProperty("flagged").GetBoolean());
        Assert.True(row.GetProperty("medianHoursToDecide").GetDouble() < 1);

        var queue = await (await auditor.GetAsync("/api/v1/reviews")).ReadAsync<JsonElement>();
        Assert.Equal(3, queue.GetArrayLength());
        Assert.All(queue.EnumerateArray(), c => Assert.False(c.GetProperty("overdue").GetBoolean()));
    }

    [Fact]
    public async Task A_customer_presses_the_review_button_a_flow_offers_and_a_case_opens_on_the_refusal()
    {
        var graph = RefundGraph();
        var more = graph["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "more")!;
        more["inputs"] = JsonNode.Parse("""
            {"prompt":"Anything else?","validation":"choice","variable":"more","maxAttempts":1,
             "choices":[{"title":"Ask a person to review this","value":"review"},{"title":"No, thanks","value":"done"}]}
            """);
        graph["nodes"]!.AsArray().Add(JsonNode.Parse("""{"id":"appeal","type":"RequestReview","typeVersion":1,"inputs":{}}"""));
        graph["edges"]!.AsArray().Add(JsonNode.Parse("""{"source":"more","sourcePort":"review","target":"appeal"}"""));
        await PublishAsync(graph, "Refunds with appeal");

        await WriteAsync(6001, "refund");
        var offer = await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Anything else?");
        Assert.Contains("review", offer.Parameters["reply_markup"]!.ToJsonString(), StringComparison.Ordinal);
        await PressAsync("review");

        var opened = await WaitForCaseAsync();
        Assert.Equal(("button", "refund"), (opened.GetProperty("source").GetString(), opened.GetProperty("contestedNodeId").GetString()));
        Assert.Equal("Refund refused: the order total was 120, above the 100 limit.", opened.GetProperty("contestedExplanation").GetString());
        var conversation = await ConversationAsync();
        Assert.Equal(JsonValueKind.Object, conversation.GetProperty("handOff").ValueKind);
        var instance = await InstanceAsync(conversation.GetProperty("id").GetGuid());
        Assert.Equal("completed", instance.GetProperty("status").GetString());
        var step = instance.GetProperty("journal").EnumerateArray().Last();
        Assert.Equal(("appeal", opened.GetProperty("reference").GetString()), (step.GetProperty("nodeId").GetString(), step.GetProperty("inputs").GetProperty("case").GetString()));
    }

    [Fact]
    public async Task Review_input_is_checked_and_a_conversation_without_automation_has_nothing_to_review()
    {
        await WriteAsync(5001, "hello, no bot here");
        await WaitForAsync(async () => (await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>()).GetProperty("items").GetArrayLength() == 1, "the conversation");
        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();

        await WriteAsync(5002, "human review");
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "human review"), what: "the contest without a bot");
        Assert.Empty((await (await Admin.GetAsync("/api/v1/reviews")).ReadAsync<JsonElement>()).EnumerateArray());

        await (await Admin.PostJsonAsync("/api/v1/reviews", new { conversationId, words = "please review" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await Admin.PostJsonAsync("/api/v1/reviews", new { conversationId, words = "" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Admin.PostJsonAsync("/api/v1/reviews", new { conversationId = Guid.NewGuid(), words = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Admin.PutAsJsonAsync("/api/v1/reviews/settings", new { dueDays = 31 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Admin.PutAsJsonAsync("/api/v1/reviews/settings", new { upheldMessage = "{% if %}" })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_significant_decision_without_an_explanation_or_with_broken_Liquid_is_refused_at_publish()
    {
        var graph = RefundGraph();
        graph["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "refund")!["decision"] = new JsonObject { ["significant"] = true, ["explanation"] = "" };
        var draft = await (await Admin.PostJsonAsync("/api/v1/flows/import", new { format = "oneinbox-flow/1", name = "No why", graph })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var refused = await (await Admin.PostAsync($"/api/v1/flows/{draft.GetProperty("id").GetGuid()}/publish", null)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("decision.explanation", refused.GetRawText(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> WaitForCaseAsync()
    {
        JsonElement found = default;
        await WaitForAsync(async () =>
        {
            var cases = await (await Admin.GetAsync("/api/v1/reviews")).ReadAsync<JsonElement>();
            if (cases.GetArrayLength() == 0)
                return false;
            found = cases[0];
            return true;
        }, "the review case");
        return found;
    }

    private async Task<Guid> PublishRefundFlowAsync()
    {
        await PublishAsync(RefundGraph(), "Refunds");
        var flows = await (await Admin.GetAsync("/api/v1/flows")).ReadAsync<JsonElement>();
        var list = flows.ValueKind == JsonValueKind.Array ? flows : flows.GetProperty("items");
        return list.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Refunds").GetProperty("id").GetGuid();
    }

    /// <summary>Sets the order total, refuses refunds above 100 (a significant decision), then asks whether there is anything else.</summary>
    private static JsonNode RefundGraph() => JsonNode.Parse("""
        {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[{"name":"total","type":"number"},{"name":"more","type":"text"}],"start":"total",
         "nodes":[
           {"id":"total","type":"SetVariable","typeVersion":1,"inputs":{"name":"total","expression":"120"}},
           {"id":"refund","type":"Decision","typeVersion":1,"inputs":{"condition":"vars.total <= 100"},
            "decision":{"significant":true,"explanation":"Refund refused: the order total was {{ vars.total }}, above the 100 limit."}},
           {"id":"approved","type":"SendMessage","typeVersion":1,"inputs":{"text":"Your refund is on its way."}},
           {"id":"refused","type":"SendMessage","typeVersion":1,"inputs":{"text":"Sorry, we cannot refund this order automatically."}},
           {"id":"more","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Anything else?","variable":"more"}}],
         "edges":[{"source":"total","sourcePort":"done","target":"refund"},
                  {"source":"refund","sourcePort":"true","target":"approved"},
                  {"source":"refund","sourcePort":"false","target":"refused"},
                  {"source":"refused","sourcePort":"done","target":"more"}]}
        """)!;
}
