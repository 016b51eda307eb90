using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Channels;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using OneInbox.Workflows.Runtime;

namespace OneInbox.IntegrationTests.Flows;

/// <summary>
/// Published flows answering real conversations: customers write through the Telegram webhook, the bot's
/// replies reach the fake Bot API through the outbox, and what the flow did is read back over HTTP.
/// </summary>
public class LiveFlowTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string Menu = "Hi Maria! How can we help?";
    private const string AskEmail = "What is the email address on your order?";
    private const string NotAnEmail = "That does not look like an email address. Please try again.";

    [Fact]
    public async Task The_menu_bot_answers_a_customer_collects_a_valid_email_routes_to_the_team_and_hands_off()
    {
        var (teamId, agentId) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");

        await WriteAsync(1001, "Hi");
        var menu = await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Menu);
        var keyboard = menu.Parameters["reply_markup"]!["inline_keyboard"]!.AsArray();
        Assert.Equal(["hours", "order", "agent"], keyboard.Select(row => row![0]!["callback_data"]!.GetValue<string>()));

        await PressAsync("order");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == AskEmail);
        await WriteAsync(1003, "maria at example");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == NotAnEmail);
        await WriteAsync(1004, "Maria@Example.com");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Thanks! An agent will look up the orders of maria@example.com.");

        var conversation = await ConversationAsync();
        await WaitForAsync(async () => (await ConversationAsync()).TryGetProperty("handOff", out var h) && h.ValueKind == JsonValueKind.Object, "the hand-off");
        conversation = await ConversationAsync();
        Assert.Equal(teamId, conversation.GetProperty("teamId").GetGuid());
        Assert.Equal(agentId, conversation.GetProperty("assigneeId").GetGuid());
        var handOff = conversation.GetProperty("handOff");
        Assert.Equal("The customer asked for order.", handOff.GetProperty("reason").GetString());
        Assert.Contains("email: maria@example.com", handOff.GetProperty("summary").GetString(), StringComparison.Ordinal);

        var instance = await InstanceAsync(conversation.GetProperty("id").GetGuid());
        Assert.Equal("completed", instance.GetProperty("status").GetString());
        var journal = instance.GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal(["menu", "menu", "askEmail", "askEmail", "askEmail", "thanks", "route", "handoff"], journal.Select(j => j.GetProperty("nodeId").GetString()));
        Assert.Equal([null, "order", null, null, "answered", "done", "done", null], journal.Select(j => j.GetProperty("outcome").GetString()));
        Assert.Contains(agentId.ToString(), journal[6].GetProperty("assignment").GetString(), StringComparison.Ordinal);

        var messages = await (await Admin.GetAsync($"/api/v1/conversations/{conversation.GetProperty("id").GetGuid()}/messages?limit=100")).ReadAsync<JsonElement>();
        var automated = messages.GetProperty("items").EnumerateArray().Where(m => m.GetProperty("authorType").GetString() == "automation").ToList();
        Assert.Equal(4, automated.Count);

        var sentBefore = SentToMaria();
        await WriteAsync(1005, "Hello? Anyone?");
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "Hello? Anyone?"), what: "the message after the hand-off");
        await Task.Delay(700);
        Assert.Equal(sentBefore, SentToMaria());

        // Every message went through at its first attempt: the connection's health, as the Studio shows it, has no error.
        var health = await (await Admin.GetAsync($"/api/v1/channels/{TelegramConnection.Connection.Id}")).ReadAsync<Connection>();
        Assert.Null(health.Health.LastError);
    }

    [Fact]
    public async Task A_customer_asking_for_an_agent_is_routed_to_the_least_waiting_member_and_agents_can_release_the_conversation()
    {
        var (teamId, agentId) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");

        await WriteAsync(2001, "Hello");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Menu);
        await WriteAsync(2002, "I want to talk to an agent please");

        await WaitForAsync(async () => (await ConversationAsync()).GetProperty("handOff").ValueKind == JsonValueKind.Object, "the hand-off");
        var conversation = await ConversationAsync();
        Assert.Equal((teamId, agentId), (conversation.GetProperty("teamId").GetGuid(), conversation.GetProperty("assigneeId").GetGuid()));
        Assert.Equal("The customer asked for a person.", conversation.GetProperty("handOff").GetProperty("reason").GetString());
        var journal = (await InstanceAsync(conversation.GetProperty("id").GetGuid())).GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal(["menu", "menu", "wantsAgent", "route", "handoff"], journal.Select(j => j.GetProperty("nodeId").GetString()));
        Assert.Equal("true", journal[2].GetProperty("outcome").GetString());

        var released = await (await Admin.PostAsync($"/api/v1/conversations/{conversation.GetProperty("id").GetGuid()}/release", null)).ReadAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, released.GetProperty("handOff").ValueKind);
        await (await Admin.PostAsync($"/api/v1/conversations/{conversation.GetProperty("id").GetGuid()}/release", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Round_robin_gives_each_new_customer_to_the_team_member_who_waited_longest_for_one()
    {
        var first = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var second = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var team = await (await Admin.PostJsonAsync("/api/v1/teams", new { name = "Sales", memberIds = new[] { first.UserId, second.UserId } })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var teamId = team.GetProperty("id").GetGuid();
        await PublishAsync(JsonNode.Parse($$$"""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"route",
             "nodes":[{"id":"route","type":"AssignToTeam","typeVersion":1,"inputs":{"teamId":"{{{teamId}}}","strategy":"roundRobin"}}],"edges":[]}
            """)!, "Router");

        var assignees = new List<Guid>();
        foreach (var chat in new[] { 5551000001L, 5551000002L, 5551000003L })
        {
            var update = MessageUpdate(1, "hello").Replace("\"update_id\": 0", $"\"update_id\": {NextUpdateId()}", StringComparison.Ordinal).Replace(ChatId, chat.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            await PostUpdateAsync(TelegramConnection.Connection.Id, update, TelegramConnection.InboundSecret);
            await WaitForAsync(async () => (await ConversationsAsync()).Count(c => c.GetProperty("assigneeId").ValueKind == JsonValueKind.String) == assignees.Count + 1, "the assignment");
            var page = await ConversationsAsync();
            assignees = page.OrderBy(c => c.GetProperty("createdAt").GetDateTimeOffset()).Select(c => c.GetProperty("assigneeId").GetGuid()).ToList();
        }

        Assert.Equal([first.UserId, second.UserId, first.UserId], assignees);
    }

    private async Task<List<JsonElement>> ConversationsAsync()
    {
        var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task A_redelivered_answer_resumes_the_flow_once()
    {
        var (teamId, _) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");
        await WriteAsync(3001, "Hi");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Menu);
        await PressAsync("order");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == AskEmail);

        // The same Telegram message delivered three times under different update ids (a provider retry after a lost ack).
        var invalid = MessageUpdate(3003, "not an email");
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => PostUpdateAsync(TelegramConnection.Connection.Id, invalid.Replace("\"update_id\": 0", $"\"update_id\": {NextUpdateId()}", StringComparison.Ordinal), TelegramConnection.InboundSecret)));
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == NotAnEmail);
        // Each delivery reaches the inbox at least once; one that raced another into a unit of work that then failed on the
        // duplicate is handed over again on its own and found to be the duplicate it is (what the assertions below check).
        await Inbox.WaitUntilAsync(i => i.Calls.Count(c => c.Message.Text == "not an email") >= 3, what: "all three deliveries");
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{TelegramConnection.Connection.Id}' AND \"Status\" = 0") == 0,
            "the three envelopes processed");
        await Task.Delay(700);

        Assert.Single(Telegram.CallsTo("sendMessage"), c => c.Text("text") == NotAnEmail);
        var journal = (await InstanceAsync((await ConversationAsync()).GetProperty("id").GetGuid())).GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal(["menu", "menu", "askEmail", "askEmail"], journal.Select(j => j.GetProperty("nodeId").GetString()));
        Assert.Equal(1, journal[3].GetProperty("inputs").GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task A_contact_who_restricted_processing_gets_no_automated_reply_and_the_waiting_flow_ends_with_a_hand_off()
    {
        var (teamId, _) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");
        await WriteAsync(4001, "Hi");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Menu);
        var conversation = await ConversationAsync();
        await (await Admin.PatchJsonAsync($"/api/v1/contacts/{conversation.GetProperty("contactId").GetGuid()}", new { processingRestricted = true })).ReadAsync<JsonElement>();
        var sentBefore = SentToMaria();

        await PressAsync("hours");
        await WaitForAsync(async () => (await ConversationAsync()).GetProperty("handOff").ValueKind == JsonValueKind.Object, "the hand-off");
        await WriteAsync(4003, "Hello again");
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "Hello again"), what: "the later message");
        await Task.Delay(700);

        Assert.Equal(sentBefore, SentToMaria());
        conversation = await ConversationAsync();
        Assert.Equal(FlowRuntime.RestrictedHandOffReason, conversation.GetProperty("handOff").GetProperty("reason").GetString());
        var instance = await InstanceAsync(conversation.GetProperty("id").GetGuid());
        Assert.Equal("cancelled", instance.GetProperty("status").GetString());
        Assert.Equal("PrivacyStop", instance.GetProperty("journal").EnumerateArray().Last().GetProperty("activityType").GetString());
    }

    [Fact]
    public async Task A_restricted_contact_never_starts_a_flow()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"hi",
             "nodes":[{"id":"hi","type":"SendMessage","typeVersion":1,"inputs":{"text":"Hello from the bot"}}],"edges":[]}
            """)!, "Greeter");
        await WriteAsync(5001, "first");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Hello from the bot");
        var conversation = await ConversationAsync();
        await (await Admin.PatchJsonAsync($"/api/v1/contacts/{conversation.GetProperty("contactId").GetGuid()}", new { processingRestricted = true })).ReadAsync<JsonElement>();

        await WriteAsync(5002, "second");
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "second"), what: "the second message");
        await Task.Delay(700);

        Assert.Single(Telegram.CallsTo("sendMessage"), c => c.Text("text") == "Hello from the bot");
    }

    [Fact]
    public async Task Agent_replies_and_notes_never_trigger_a_flow()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{"keywords":["price"]}},"variables":[],"start":"hi",
             "nodes":[{"id":"hi","type":"SendMessage","typeVersion":1,"inputs":{"text":"Our prices are on the website."}}],"edges":[]}
            """)!, "Prices");
        await WriteAsync(6001, "hello");
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the first message");
        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();

        await (await Admin.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { text = "Ask me about the price" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync($"/api/v1/conversations/{conversationId}/notes", new { text = "price question expected" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Ask me about the price");
        await Task.Delay(500);
        Assert.DoesNotContain(Telegram.CallsTo("sendMessage"), c => c.Text("text") == "Our prices are on the website.");

        await WriteAsync(6002, "what is the price?");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Our prices are on the website.");
    }
}

/// <summary>A worker host that runs flows, a Telegram connection, and a customer (Maria) who writes to it.</summary>
public abstract class LiveFlowTest(OneInboxApp app) : ChannelTest(app)
{
    protected const string ChatId = "5550002222";

    private int _update = 864300000;

    protected Created TelegramConnection { get; private set; } = null!;

    protected override void ConfigureHost(IWebHostBuilder host) => RunFlowWorkers(host);

    protected static void RunFlowWorkers(IWebHostBuilder host)
    {
        host.UseSetting("OneInbox:Flows:RunWorkers", "true");
        host.UseSetting("OneInbox:Flows:TimerInterval", "00:00:00.200");
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        TelegramConnection = await CreateTelegramAsync();
    }

    protected int NextUpdateId() => Interlocked.Increment(ref _update);

    protected int SentToMaria() => Telegram.CallsTo("sendMessage").Count(c => c.Text("chat_id") == ChatId);

    protected async Task<(Guid TeamId, Guid AgentId)> SupportTeamAsync()
    {
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var team = await (await Admin.PostJsonAsync("/api/v1/teams", new { name = "Support", memberIds = new[] { agent.UserId } })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return (team.GetProperty("id").GetGuid(), agent.UserId);
    }

    protected static JsonNode MenuGraph(Guid teamId)
    {
        var graph = FlowTestData.MenuGraph();
        graph["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "route")!["inputs"]!["teamId"] = teamId.ToString();
        return graph;
    }

    /// <summary>Imports the flow as an export file and publishes it, as the README's walk-through does.</summary>
    protected async Task PublishAsync(JsonNode graph, string name)
    {
        var imported = await (await Admin.PostJsonAsync("/api/v1/flows/import", new { format = "oneinbox-flow/1", name, graph }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PostAsync($"/api/v1/flows/{imported.GetProperty("id").GetGuid()}/publish", null)).ReadAsync<JsonElement>();
    }

    protected async Task WriteAsync(int messageId, string text)
    {
        var update = MessageUpdate(messageId, text).Replace("\"update_id\": 0", $"\"update_id\": {NextUpdateId()}", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(TelegramConnection.Connection.Id, update, TelegramConnection.InboundSecret)).StatusCode);
    }

    protected async Task PressAsync(string payload)
    {
        var id = NextUpdateId();
        var update = $$"""
            { "update_id": {{id}},
              "callback_query": {
                "id": "43829100774{{id}}",
                "from": { "id": {{ChatId}}, "is_bot": false, "first_name": "Maria" },
                "message": {
                  "message_id": 1,
                  "from": { "id": 7000000001, "is_bot": true, "first_name": "Acme Support", "username": "acme_support_bot" },
                  "chat": { "id": {{ChatId}}, "first_name": "Maria", "type": "private" },
                  "date": {{Date(id % 100000)}},
                  "text": "menu" },
                "chat_instance": "-8123456789012345678",
                "data": "{{payload}}" } }
            """;
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(TelegramConnection.Connection.Id, update, TelegramConnection.InboundSecret)).StatusCode);
    }

    /// <summary>A customer's text message; the update id is left as 0 for the caller to fill in.</summary>
    protected string MessageUpdate(int messageId, string text) => $$"""
        { "update_id": 0,
          "message": {
            "message_id": {{messageId}},
            "from": { "id": {{ChatId}}, "is_bot": false, "first_name": "Maria" },
            "chat": { "id": {{ChatId}}, "type": "private", "first_name": "Maria" },
            "date": {{Date(messageId)}},
            "text": {{JsonSerializer.Serialize(text)}} } }
        """;

    protected static string Date(int n) => (1767225600 + n).ToString(CultureInfo.InvariantCulture);

    protected async Task<JsonElement> ConversationAsync()
    {
        var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
        return Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    protected async Task<JsonElement> InstanceAsync(Guid conversationId)
    {
        var page = await (await Admin.GetAsync($"/api/v1/flow-instances?conversationId={conversationId}")).ReadAsync<JsonElement>();
        var id = Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();
        return await (await Admin.GetAsync($"/api/v1/flow-instances/{id}")).ReadAsync<JsonElement>();
    }
}
