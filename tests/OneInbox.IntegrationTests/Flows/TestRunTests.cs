using System.Net;
using System.Text.Json;
using OneInbox.IntegrationTests.Infrastructure;
using static OneInbox.IntegrationTests.Flows.FlowApiTests;

namespace OneInbox.IntegrationTests.Flows;

public class TestRunTests(OneInboxApp app) : ApiTest(app)
{
    private async Task<(HttpClient Admin, Guid FlowId)> MenuFlowAsync()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = workspace.Owner.Client;
        var flow = await (await admin.PostJsonAsync("/api/v1/flows", new { name = "Menu", graph = FlowTestData.MenuGraph() })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return (admin, flow.GetProperty("id").GetGuid());
    }

    private static async Task<JsonElement> SayAsync(HttpClient admin, Guid flowId, Guid runId, object message) =>
        await (await admin.PostJsonAsync($"/api/v1/flows/{flowId}/test-runs/{runId}/messages", message)).ReadAsync<JsonElement>();

    private static List<string> Bot(JsonElement run) =>
        run.GetProperty("transcript").EnumerateArray().Where(l => l.GetProperty("from").GetString() == "bot").Select(l => l.GetProperty("text").GetString()!).ToList();

    [Fact]
    public async Task The_menu_flow_answers_asks_for_an_email_validates_it_and_hands_off_to_the_team()
    {
        var (admin, flowId) = await MenuFlowAsync();
        var run = await (await admin.PostAsync($"/api/v1/flows/{flowId}/test-runs", JsonContent(new { contactName = "Ada" }))).ReadAsync<JsonElement>();
        Assert.Equal("waiting", run.GetProperty("status").GetString());
        var runId = run.GetProperty("id").GetGuid();

        run = await SayAsync(admin, flowId, runId, new { text = "hello" });
        Assert.Equal("Hi Ada! How can we help?", Bot(run).Single());
        var menu = run.GetProperty("transcript").EnumerateArray().Last();
        Assert.Equal(["hours", "order", "agent"], menu.GetProperty("buttons").EnumerateArray().Select(b => b.GetProperty("payload").GetString()));

        run = await SayAsync(admin, flowId, runId, new { buttonPayload = "order" });
        Assert.Equal("What is the email address on your order?", Bot(run).Last());

        run = await SayAsync(admin, flowId, runId, new { text = "my email is secret" });
        Assert.Equal("That does not look like an email address. Please try again.", Bot(run).Last());
        Assert.Equal("waiting", run.GetProperty("status").GetString());

        run = await SayAsync(admin, flowId, runId, new { text = "Ada@Example.org" });
        Assert.Equal("Thanks! An agent will look up the orders of ada@example.org.", Bot(run).Last());
        Assert.Equal("ada@example.org", run.GetProperty("variables").GetProperty("email").GetString());
        Assert.Equal("handedOff", run.GetProperty("status").GetString());
        Assert.Equal("The customer asked for order.", run.GetProperty("handOff").GetProperty("reason").GetString());
        Assert.Contains("email: ada@example.org", run.GetProperty("handOff").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(["menu", "askEmail", "thanks", "route", "handoff"], run.GetProperty("path").EnumerateArray().Select(p => p.GetString()));
        var routing = run.GetProperty("journal").EnumerateArray().Single(j => j.GetProperty("nodeId").GetString() == "route");
        Assert.StartsWith("team 00000000-0000-0000-0000-00000000a001", routing.GetProperty("assignment").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_run_shows_the_media_a_bot_would_send()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = workspace.Owner.Client;
        var graph = JsonDocument.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"menu",
             "nodes":[{"id":"menu","type":"SendMessage","typeVersion":1,
                       "inputs":{"text":"Today's menu","media":{"url":"https://cdn.example.com/menu.png","kind":"image"}}}],
             "edges":[]}
            """).RootElement;
        var flowId = (await (await admin.PostJsonAsync("/api/v1/flows", new { name = "Menu card", graph })).ReadAsync<JsonElement>(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var runId = (await (await admin.PostAsync($"/api/v1/flows/{flowId}/test-runs", JsonContent(new { }))).ReadAsync<JsonElement>()).GetProperty("id").GetGuid();

        var run = await SayAsync(admin, flowId, runId, new { text = "what's for lunch?" });

        var line = run.GetProperty("transcript").EnumerateArray().Single(l => l.GetProperty("from").GetString() == "bot");
        Assert.Equal("Today's menu", line.GetProperty("text").GetString());
        Assert.Equal("https://cdn.example.com/menu.png", line.GetProperty("media").GetProperty("url").GetString());
        Assert.Equal("image", line.GetProperty("media").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_test_run_shows_the_media_url_rendered_from_a_variable_and_the_contact()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = workspace.Owner.Client;
        var graph = JsonDocument.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[{"name":"sku","type":"text"}],"start":"remember",
             "nodes":[{"id":"remember","type":"SetVariable","typeVersion":1,"inputs":{"name":"sku","value":"{{ message.text }}"}},
                      {"id":"card","type":"SendMessage","typeVersion":1,
                       "inputs":{"text":"Here it is, {{ contact.name }}","media":{"url":"https://cdn.example.com/{{ contact.name | downcase }}/{{ vars.sku | url_encode }}.png"}}}],
             "edges":[{"source":"remember","sourcePort":"done","target":"card"}]}
            """).RootElement;
        var flowId = (await (await admin.PostJsonAsync("/api/v1/flows", new { name = "Product card", graph })).ReadAsync<JsonElement>(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var runId = (await (await admin.PostAsync($"/api/v1/flows/{flowId}/test-runs", JsonContent(new { contactName = "Ada" }))).ReadAsync<JsonElement>()).GetProperty("id").GetGuid();

        var run = await SayAsync(admin, flowId, runId, new { text = "SKU-42" });

        var line = run.GetProperty("transcript").EnumerateArray().Single(l => l.GetProperty("from").GetString() == "bot");
        Assert.Equal("Here it is, Ada", line.GetProperty("text").GetString());
        Assert.Equal("https://cdn.example.com/ada/SKU-42.png", line.GetProperty("media").GetProperty("url").GetString());
        Assert.Equal("image", line.GetProperty("media").GetProperty("kind").GetString());
        var card = run.GetProperty("journal").EnumerateArray().Single(j => j.GetProperty("nodeId").GetString() == "card");
        Assert.Equal("https://cdn.example.com/ada/SKU-42.png", card.GetProperty("inputs").GetProperty("media").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Writing_agent_instead_of_choosing_routes_to_the_team()
    {
        var (admin, flowId) = await MenuFlowAsync();
        var runId = (await (await admin.PostAsync($"/api/v1/flows/{flowId}/test-runs", JsonContent(new { }))).ReadAsync<JsonElement>()).GetProperty("id").GetGuid();
        await SayAsync(admin, flowId, runId, new { text = "hi" });

        var run = await SayAsync(admin, flowId, runId, new { text = "I want an AGENT now" });

        Assert.Equal("handedOff", run.GetProperty("status").GetString());
        Assert.Equal(["menu", "wantsAgent", "route", "handoff"], run.GetProperty("path").EnumerateArray().Select(p => p.GetString()));
        var decision = run.GetProperty("journal").EnumerateArray().Single(j => j.GetProperty("nodeId").GetString() == "wantsAgent");
        Assert.Equal("true", decision.GetProperty("outcome").GetString());
        Assert.True(decision.GetProperty("inputs").GetProperty("condition").GetBoolean());
    }

    [Fact]
    public async Task A_test_run_of_an_invalid_draft_answers_422_and_an_unknown_run_404()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = workspace.Owner.Client;
        var flowId = (await (await admin.PostJsonAsync("/api/v1/flows", new { name = "Empty" })).ReadAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var problem = await (await admin.PostAsync($"/api/v1/flows/{flowId}/test-runs", JsonContent(new { }))).AssertProblemAsync((HttpStatusCode)422);
        Assert.Contains(problem.GetProperty("problems").EnumerateArray(), p => p.GetProperty("field").GetString() == "start");
        await (await admin.PostJsonAsync($"/api/v1/flows/{flowId}/test-runs/{Guid.NewGuid()}/messages", new { text = "hi" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync($"/api/v1/flows/{flowId}/test-runs/{Guid.NewGuid()}/messages", new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
