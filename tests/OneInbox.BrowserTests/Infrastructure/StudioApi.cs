using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneInbox.BrowserTests.Infrastructure;

/// <summary>
/// The real flows API, called over HTTP with a token the user obtains with their password: arranges what a
/// test starts from and reads back what the Studio stored.
/// </summary>
public sealed class StudioApi(HttpClient http)
{
    public static async Task<StudioApi> ForAsync(StudioServer server, StudioUser user)
    {
        var http = new HttpClient { BaseAddress = server.Address };
        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "oneinbox-cli",
            ["username"] = user.Email,
            ["password"] = StudioServer.Password,
            ["scope"] = "openid offline_access api",
            ["workspace_id"] = user.WorkspaceId.ToString(),
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, $"Sign-in failed with {(int)token.StatusCode}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["access_token"]!.GetValue<string>());
        return new StudioApi(http);
    }

    public async Task<Guid> CreateFlowAsync(string name, JsonObject? graph = null)
    {
        var flow = await SendAsync(HttpMethod.Post, "/api/v1/flows", new JsonObject { ["name"] = name, ["graph"] = graph });
        return flow["id"]!.GetValue<Guid>();
    }

    public async Task<JsonObject> FlowAsync(Guid flowId) => await SendAsync(HttpMethod.Get, $"/api/v1/flows/{flowId}");

    public async Task<JsonObject> ExportAsync(Guid flowId) => await SendAsync(HttpMethod.Get, $"/api/v1/flows/{flowId}/export");

    public async Task<JsonArray> FlowsAsync() => (await SendAsync(HttpMethod.Get, "/api/v1/flows"))["items"]!.AsArray();

    public async Task SaveDraftAsync(Guid flowId, JsonObject graph) =>
        await SendAsync(HttpMethod.Put, $"/api/v1/flows/{flowId}/draft", new JsonObject { ["graph"] = graph });

    public async Task<int> PublishAsync(Guid flowId) =>
        (await SendAsync(HttpMethod.Post, $"/api/v1/flows/{flowId}/publish"))["version"]!.GetValue<int>();

    public async Task<JsonObject> InstanceAsync(Guid instanceId) => await SendAsync(HttpMethod.Get, $"/api/v1/flow-instances/{instanceId}");

    public async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonNode? body = null) => (await SendNodeAsync(method, path, body)).AsObject();

    public async Task<JsonArray> GetArrayAsync(string path) => (await SendNodeAsync(HttpMethod.Get, path)).AsArray();

    private async Task<JsonNode> SendNodeAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}

/// <summary>Flow graphs in the engine's format (docs/flow-format.md).</summary>
public static class Graphs
{
    /// <summary>A chain of activities, each one's given port leading to the next, laid out top to bottom; starts manually at the first.</summary>
    public static JsonObject Chain(params (string Id, string Type, JsonObject Inputs, string? Port)[] nodes)
    {
        var graph = Empty();
        for (var i = 0; i < nodes.Length; i++)
        {
            var (id, type, inputs, port) = nodes[i];
            graph["nodes"]!.AsArray().Add(new JsonObject
            {
                ["id"] = id, ["type"] = type, ["typeVersion"] = 1, ["inputs"] = inputs, ["position"] = new JsonObject { ["x"] = 40, ["y"] = i * 160 },
            });
            if (i + 1 < nodes.Length)
                graph["edges"]!.AsArray().Add(new JsonObject { ["source"] = id, ["sourcePort"] = port ?? "done", ["target"] = nodes[i + 1].Id });
        }
        graph["start"] = nodes.Length > 0 ? nodes[0].Id : null;
        return graph;
    }

    public static JsonObject Empty() => new()
    {
        ["nodes"] = new JsonArray(), ["edges"] = new JsonArray(), ["variables"] = new JsonArray(),
        ["trigger"] = new JsonObject { ["type"] = "Manual", ["inputs"] = new JsonObject() }, ["start"] = null,
    };

    public static JsonObject Greeting(string text) => Chain(("greet", "SendMessage", new JsonObject { ["text"] = text }, null));

    /// <summary>Welcome, a menu of two choices saved in `topic`, a decision on it, and a hand-off.</summary>
    public static JsonObject SupportTriage()
    {
        var graph = Chain(
            ("greet", "SendMessage", new JsonObject { ["text"] = "Welcome to Acme!" }, "done"),
            ("ask", "AskQuestion", new JsonObject
            {
                ["prompt"] = "Sales or support?", ["validation"] = "choice", ["variable"] = "topic",
                ["choices"] = new JsonArray(Choice("Sales", "sales"), Choice("Support", "support")),
            }, "support"),
            ("decide", "Decision", new JsonObject { ["condition"] = "vars.topic == 'support'" }, "true"),
            ("handoff", "HandOff", new JsonObject { ["reason"] = "The customer asked for {{ vars.topic }}." }, null));
        graph["variables"]!.AsArray().Add(new JsonObject { ["name"] = "topic", ["type"] = "text" });
        return graph;
    }

    public static JsonObject Choice(string title, string value) => new() { ["title"] = title, ["value"] = value };

    public static string Text(this JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
