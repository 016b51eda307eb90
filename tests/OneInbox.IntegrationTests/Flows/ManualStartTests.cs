using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Flows;

/// <summary>An admin starts a published flow on a conversation by hand; the bot's message reaches Telegram.</summary>
public class ManualStartTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string Shipped = "Hi Maria, your order has shipped. Was everything as expected?";

    private static JsonNode ShippingFollowUp() => JsonNode.Parse("""
        {"trigger":{"type":"Manual","inputs":{}},"variables":[{"name":"feedback","type":"text"}],"start":"ask",
         "nodes":[{"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Hi {{ contact.name }}, your order has shipped. Was everything as expected?","variable":"feedback"},"position":{"x":0,"y":0}},
                  {"id":"thanks","type":"SendMessage","typeVersion":1,"inputs":{"text":"Thanks for telling us!"},"position":{"x":0,"y":100}}],
         "edges":[{"source":"ask","sourcePort":"answered","target":"thanks"}]}
        """)!;

    private async Task<Guid> ImportAsync(JsonNode graph, bool publish = true)
    {
        var flow = await (await Admin.PostJsonAsync("/api/v1/flows/import", new { format = "oneinbox-flow/1", name = "Shipping follow-up", graph }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var id = flow.GetProperty("id").GetGuid();
        if (publish)
            await (await Admin.PostAsync($"/api/v1/flows/{id}/publish", null)).ReadAsync<JsonElement>();
        return id;
    }

    private async Task<Guid> MariaWroteAsync()
    {
        await WriteAsync(7001, "hello");
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "Maria's message");
        return (await ConversationAsync()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Starting_a_flow_by_hand_sends_its_first_message_and_the_customer_answer_resumes_it()
    {
        var flowId = await ImportAsync(ShippingFollowUp());
        var conversationId = await MariaWroteAsync();
        Assert.Equal(0, SentToMaria());

        var started = await (await Admin.PostJsonAsync($"/api/v1/flows/{flowId}/start", new { conversationId }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("waiting", started.GetProperty("status").GetString());
        Assert.Equal(1, started.GetProperty("version").GetInt32());
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Shipped);

        await WriteAsync(7002, "Yes, all good");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Thanks for telling us!");
        var instance = await InstanceAsync(conversationId);
        Assert.Equal(started.GetProperty("instanceId").GetGuid(), instance.GetProperty("id").GetGuid());
        Assert.Equal("completed", instance.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_second_start_while_a_flow_is_active_on_the_conversation_is_a_conflict_and_sends_nothing()
    {
        var flowId = await ImportAsync(ShippingFollowUp());
        var conversationId = await MariaWroteAsync();
        await (await Admin.PostJsonAsync($"/api/v1/flows/{flowId}/start", new { conversationId })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Shipped);

        await (await Admin.PostJsonAsync($"/api/v1/flows/{flowId}/start", new { conversationId })).AssertProblemAsync(HttpStatusCode.Conflict);

        await Task.Delay(500);
        Assert.Equal(1, SentToMaria());
    }

    [Fact]
    public async Task A_flow_without_a_published_version_cannot_be_started()
    {
        var flowId = await ImportAsync(ShippingFollowUp(), publish: false);
        var conversationId = await MariaWroteAsync();

        await (await Admin.PostJsonAsync($"/api/v1/flows/{flowId}/start", new { conversationId })).AssertProblemAsync(HttpStatusCode.Conflict);

        var page = await (await Admin.GetAsync($"/api/v1/flow-instances?conversationId={conversationId}")).ReadAsync<JsonElement>();
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Another_workspace_cannot_start_a_flow_on_this_conversation_or_start_this_flow()
    {
        var flowId = await ImportAsync(ShippingFollowUp());
        var conversationId = await MariaWroteAsync();
        var other = await App.CreateWorkspaceAsync("Globex");
        var otherFlow = await (await other.Owner.Client.PostJsonAsync("/api/v1/flows/import", new { format = "oneinbox-flow/1", name = "Theirs", graph = ShippingFollowUp() }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var otherFlowId = otherFlow.GetProperty("id").GetGuid();
        await (await other.Owner.Client.PostAsync($"/api/v1/flows/{otherFlowId}/publish", null)).ReadAsync<JsonElement>();

        await (await other.Owner.Client.PostJsonAsync($"/api/v1/flows/{otherFlowId}/start", new { conversationId })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Owner.Client.PostJsonAsync($"/api/v1/flows/{flowId}/start", new { conversationId })).AssertProblemAsync(HttpStatusCode.NotFound);

        await Task.Delay(300);
        Assert.Equal(0, SentToMaria());
    }

    [Fact]
    public async Task Agents_may_not_start_flows()
    {
        var flowId = await ImportAsync(ShippingFollowUp());
        var conversationId = await MariaWroteAsync();
        var agent = await Workspace.ClientAsync(OneInbox.Domain.Identity.WorkspaceRole.Agent);

        await (await agent.PostJsonAsync($"/api/v1/flows/{flowId}/start", new { conversationId })).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
