using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Flows;

public class FlowApiTests(OneInboxApp app) : ApiTest(app)
{
    private static async Task<JsonElement> CreateAsync(HttpClient admin, object body) =>
        await (await admin.PostJsonAsync("/api/v1/flows", body)).ReadAsync<JsonElement>(HttpStatusCode.Created);

    [Fact]
    public async Task The_designer_gets_every_activity_with_inputs_and_outcome_ports()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var auditor = await workspace.ClientAsync(WorkspaceRole.Auditor);

        var descriptors = await (await auditor.GetAsync("/api/v1/activity-descriptors")).ReadAsync<JsonElement>();

        Assert.Equal(22, descriptors.GetArrayLength());
        var rating = descriptors.EnumerateArray().Single(d => d.GetProperty("type").GetString() == "AskRating");
        Assert.Equal(["rated", "skipped", "timeout"], rating.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()));
        var ask = descriptors.EnumerateArray().Single(d => d.GetProperty("type").GetString() == "AskQuestion");
        Assert.Equal(1, ask.GetProperty("typeVersion").GetInt32());
        Assert.Equal("choices", ask.GetProperty("dynamicOutcomes").GetProperty("fromInput").GetString());
        var validation = ask.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "validation");
        Assert.Equal("choice", validation.GetProperty("kind").GetString());
        Assert.Equal("text", validation.GetProperty("defaultValue").GetString());
        Assert.Contains(validation.GetProperty("options").EnumerateArray(), o => o.GetProperty("value").GetString() == "email");
    }

    [Fact]
    public async Task A_draft_is_saved_even_when_invalid_and_publishing_it_answers_422_with_the_problems()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = workspace.Owner.Client;
        var flow = await CreateAsync(admin, new { name = "Welcome" });
        var id = flow.GetProperty("id").GetGuid();
        Assert.True(flow.GetProperty("publishedVersion").ValueKind == JsonValueKind.Null);

        var broken = JsonNode.Parse("""{"nodes":[{"id":"n1","type":"SendMessage","typeVersion":1,"inputs":{}}],"edges":[],"variables":[],"start":"n1"}""");
        var saved = await (await admin.PutAsync($"/api/v1/flows/{id}/draft", JsonContent(new { graph = broken }))).ReadAsync<JsonElement>();
        Assert.Equal("n1", saved.GetProperty("graph").GetProperty("nodes")[0].GetProperty("id").GetString());

        var validation = await (await admin.PostAsync($"/api/v1/flows/{id}/validate", null)).ReadAsync<JsonElement>();
        Assert.False(validation.GetProperty("valid").GetBoolean());
        var problem = validation.GetProperty("problems")[0];
        Assert.Equal(("n1", "text"), (problem.GetProperty("nodeId").GetString(), problem.GetProperty("field").GetString()));

        var publish = await (await admin.PostAsync($"/api/v1/flows/{id}/publish", null)).AssertProblemAsync((HttpStatusCode)422);
        Assert.Equal("n1", publish.GetProperty("problems")[0].GetProperty("nodeId").GetString());
    }

    [Fact]
    public async Task Publishing_snapshots_versions_and_rollback_publishes_a_copy_of_an_old_one()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = workspace.Owner.Client;
        var id = (await CreateAsync(admin, new { name = "Greeter", graph = FlowTestData.Greeting("Hello v1") })).GetProperty("id").GetGuid();

        Assert.Equal(1, (await (await admin.PostAsync($"/api/v1/flows/{id}/publish", null)).ReadAsync<JsonElement>()).GetProperty("version").GetInt32());
        var published = await (await admin.GetAsync($"/api/v1/flows/{id}")).ReadAsync<JsonElement>();
        Assert.Equal(1, published.GetProperty("publishedVersion").GetInt32());
        Assert.False(published.GetProperty("hasUnpublishedChanges").GetBoolean());

        var edited = await (await admin.PutAsync($"/api/v1/flows/{id}/draft", JsonContent(new { graph = FlowTestData.Greeting("Hello v2") }))).ReadAsync<JsonElement>();
        Assert.True(edited.GetProperty("hasUnpublishedChanges").GetBoolean());
        Assert.Equal(2, (await (await admin.PostAsync($"/api/v1/flows/{id}/publish", null)).ReadAsync<JsonElement>()).GetProperty("version").GetInt32());

        var rollback = await (await admin.PostAsync($"/api/v1/flows/{id}/versions/1/rollback", null)).ReadAsync<JsonElement>();
        Assert.Equal(3, rollback.GetProperty("version").GetInt32());

        var versions = await (await admin.GetAsync($"/api/v1/flows/{id}/versions")).ReadAsync<JsonElement>();
        Assert.Equal([3, 2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(workspace.Owner.UserId, versions[0].GetProperty("publishedBy").GetGuid());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/flows/{id}/retract", null)).StatusCode);
        var retracted = await (await admin.GetAsync($"/api/v1/flows/{id}")).ReadAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, retracted.GetProperty("publishedVersion").ValueKind);
        await (await admin.PostAsync($"/api/v1/flows/{id}/retract", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsync($"/api/v1/flows/{id}/versions/9/rollback", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Flows_are_listed_renamed_duplicated_and_deleted()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = workspace.Owner.Client;
        var first = (await CreateAsync(admin, new { name = "First" })).GetProperty("id").GetGuid();
        await CreateAsync(admin, new { name = "Second", description = "two" });

        var renamed = await (await admin.PatchAsync($"/api/v1/flows/{first}", JsonContent(new { name = "Renamed", priority = 5 }))).ReadAsync<JsonElement>();
        Assert.Equal(("Renamed", 5), (renamed.GetProperty("name").GetString(), renamed.GetProperty("priority").GetInt32()));

        var copy = await (await admin.PostAsync($"/api/v1/flows/{first}/duplicate", null)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("Renamed (copy)", copy.GetProperty("name").GetString());

        var page = await (await admin.GetAsync("/api/v1/flows?limit=2")).ReadAsync<JsonElement>();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var next = await (await admin.GetAsync($"/api/v1/flows?limit=2&cursor={page.GetProperty("nextCursor").GetString()}")).ReadAsync<JsonElement>();
        Assert.Equal("Renamed", next.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(0, next.GetProperty("items")[0].GetProperty("runningInstances").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/flows/{first}")).StatusCode);
        await (await admin.GetAsync($"/api/v1/flows/{first}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/v1/flows", new { name = "" })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_exported_flow_imports_into_another_workspace()
    {
        var acme = await App.CreateWorkspaceAsync("Acme");
        var globex = await App.CreateWorkspaceAsync("Globex");
        var id = (await CreateAsync(acme.Owner.Client, new { name = "Menu", graph = FlowTestData.MenuGraph() })).GetProperty("id").GetGuid();

        var export = await (await acme.Owner.Client.GetAsync($"/api/v1/flows/{id}/export")).ReadAsync<JsonElement>();
        Assert.Equal("oneinbox-flow/1", export.GetProperty("format").GetString());

        var imported = await (await globex.Owner.Client.PostJsonAsync("/api/v1/flows/import", export)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("Menu", imported.GetProperty("name").GetString());
        Assert.Equal(export.GetProperty("graph").GetProperty("nodes").GetArrayLength(), imported.GetProperty("graph").GetProperty("nodes").GetArrayLength());
        var version = await (await globex.Owner.Client.PostAsync($"/api/v1/flows/{imported.GetProperty("id").GetGuid()}/publish", null)).ReadAsync<JsonElement>();
        Assert.Equal(1, version.GetProperty("version").GetInt32());

        await (await globex.Owner.Client.PostJsonAsync("/api/v1/flows/import", new { format = "elsa/3", name = "x", graph = new { } })).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Auditors_read_flows_but_only_admins_change_them_and_other_workspaces_see_nothing()
    {
        var acme = await App.CreateWorkspaceAsync("Acme");
        var globex = await App.CreateWorkspaceAsync("Globex");
        var id = (await CreateAsync(acme.Owner.Client, new { name = "Menu" })).GetProperty("id").GetGuid();
        var auditor = await acme.ClientAsync(WorkspaceRole.Auditor);
        var agent = await acme.ClientAsync(WorkspaceRole.Agent);

        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/flows/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync($"/api/v1/flows/{id}/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJsonAsync("/api/v1/flows", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/api/v1/flows")).StatusCode);
        await (await globex.Owner.Client.GetAsync($"/api/v1/flows/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await globex.Owner.Client.PostAsync($"/api/v1/flows/{id}/test-runs", JsonContent(new { }))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    internal static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}
