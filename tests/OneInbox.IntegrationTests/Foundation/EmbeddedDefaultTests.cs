using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>The laptop setup: no connection string, so the server keeps its data in SQLite under the data folder.</summary>
public sealed class EmbeddedDefaultTests : IDisposable
{
    private readonly string _dataPath = Directory.CreateTempSubdirectory("oneinbox-sqlite-").FullName;

    [Fact]
    public async Task With_no_connection_string_the_server_starts_on_SQLite_in_the_data_folder()
    {
        await using var app = Embedded();
        var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var openApi = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.True(File.Exists(Path.Combine(_dataPath, "oneinbox.db")));
    }

    [Fact]
    public async Task On_SQLite_a_burst_of_customers_all_reach_the_inbox_and_each_gets_the_bots_reply()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        await using var app = Embedded(host =>
        {
            host.UseSetting("OneInbox:Identity:AllowSelfSignup", "true");
            host.UseSetting("OneInbox:Channels:RunWorkers", "true");
            host.UseSetting("OneInbox:Channels:PublicBaseUrl", "https://oneinbox.test/");
            host.UseSetting("OneInbox:Channels:IdleDelay", "00:00:00.050");
            host.UseSetting("OneInbox:Outbound:AllowLoopback", "true");
        });
        var admin = await SignUpAsync(app);
        var connection = await (await admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "telegram", name = "Support bot", botToken = telegram.Token, mode = "webhook", baseUrl = telegram.BaseUrl.ToString(),
        })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var graph = JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"greet",
             "nodes":[{"id":"greet","type":"SendMessage","typeVersion":1,"inputs":{"text":"Hi {{ contact.name }}"}}],"edges":[]}
            """);
        var flow = await (await admin.PostJsonAsync("/api/v1/flows/import", new { format = "oneinbox-flow/1", name = "Greeter", graph }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await admin.PostAsync($"/api/v1/flows/{flow.GetProperty("id").GetGuid()}/publish", null)).ReadAsync<JsonElement>();

        // Thirty customers at once: the workers take them several to a unit of work, on SQLite as on PostgreSQL.
        var webhook = app.CreateClient();
        var posted = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connection.GetProperty("connection").GetProperty("id").GetGuid()}")
            {
                Content = new StringContent($$"""
                    { "update_id": {{870000000 + i}},
                      "message": { "message_id": 1, "from": { "id": {{5570000000L + i}}, "is_bot": false, "first_name": "C{{i}}" },
                                   "chat": { "id": {{5570000000L + i}}, "type": "private" }, "date": 1767225600, "text": "hello" } }
                    """, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", connection.GetProperty("inboundSecret").GetString());
            return (await webhook.SendAsync(request)).StatusCode;
        }));

        Assert.All(posted, status => Assert.Equal(HttpStatusCode.OK, status));
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (telegram.CallsTo("sendMessage").Count < 30 && TimeProvider.System.GetUtcNow() < deadline)
            await Task.Delay(50);
        var replies = telegram.CallsTo("sendMessage").ToDictionary(c => c.Text("chat_id")!, c => c.Text("text"));
        Assert.Equal(Enumerable.Range(0, 30).ToDictionary(i => (5570000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), i => (string?)$"Hi C{i}"), replies);
        var conversations = await (await admin.GetAsync("/api/v1/conversations?limit=100")).ReadAsync<JsonElement>();
        Assert.Equal(30, conversations.GetProperty("items").GetArrayLength());
    }

    private WebApplicationFactory<Program> Embedded(Action<IWebHostBuilder>? configure = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Testing");
            host.UseSetting("ConnectionStrings:Postgres", "");
            host.UseSetting("OneInbox:DataPath", _dataPath);
            configure?.Invoke(host);
        });

    private static async Task<HttpClient> SignUpAsync(WebApplicationFactory<Program> app)
    {
        var client = app.CreateClient();
        var email = $"owner-{Guid.NewGuid():N}@example.test";
        var workspace = await (await client.PostJsonAsync("/api/v1/signup", new { email, password = TestWorkspace.Password, displayName = "Owner", workspaceName = "Laptop", confirmAdult = true }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var token = await (await client.PostAsync("/connect/token", TestIdentity.PasswordForm(email, TestWorkspace.Password, workspace.GetProperty("id").GetGuid())))
            .ReadAsync<JsonElement>();
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        return admin;
    }

    public void Dispose() => Directory.Delete(_dataPath, recursive: true);
}
