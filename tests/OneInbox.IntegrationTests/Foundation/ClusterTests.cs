using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// Three server processes on one PostgreSQL and one Redis, as docs/deploy.md describes: webhooks land on any node,
/// each message is stored and answered once, an agent connected to one node hears of everything, and when a node is
/// killed the others carry on, its elected work (Telegram polling) included.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output) : ProcessTest("cluster")
{
    private const string Password = "cluster test password that is long";
    private const string Issuer = "https://cluster.oneinbox.test/";

    private readonly List<ServerProcess> _nodes = [];
    private FakeTelegramBotApi _pollingBot = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _pollingBot = await FakeTelegramBotApi.StartAsync("7000000002:AAFakeTokenForOneInboxTests_9876543210");
    }

    public override async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            node.Dispose();
        await _pollingBot.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Webhooks_spread_over_three_nodes_are_answered_once_and_heard_by_an_agent_on_any_node()
    {
        // The production lease: with nobody killed, no claim may expire and be taken by another node, however busy
        // the machine (the crash settings' 3 s lease can run out on a starved test machine and send twice).
        var (a, b, c) = await StartThreeNodesAsync(lease: "00:01:00");
        var (token, connectionId, secret, flowId) = await SetUpWorkspaceAsync(a);

        // Nobody of the workspace is online: its events reach no one, so no node publishes them to Redis (ADR 0017).
        // The nodes trust what they heard from each other 2 s after they start.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var published = new ConcurrentQueue<string>();
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.ConnectionString);
        var workspaceGroup = $"*:group:workspace:{await WorkspaceOfAsync(connectionId):N}*";
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(workspaceGroup), (channel, _) => published.Enqueue(channel.ToString()));
        Assert.True(await TryPostAsync(b.Client, connectionId, secret, 1000));
        await WaitAsync(() => Telegram.CallsTo("sendMessage").Count >= 1, "the first customer to be answered");
        await Task.Delay(500);
        Assert.Empty(published);

        await using var hub = await ListenAsync(c, token);
        const int customers = 120;
        var nodes = new[] { a, b, c };
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            int id;
            while ((id = Interlocked.Increment(ref next)) <= customers)
                Assert.True(await TryPostAsync(nodes[id % 3].Client, connectionId, secret, id), $"update {id} on node {id % 3}");
        })));

        await WaitAsync(() => Telegram.CallsTo("sendMessage").Count >= customers + 1, "every customer to be answered");
        var inbound = await InboundMessageIdsAsync();
        Assert.Equal(customers + 1, inbound.Count);
        await WaitAsync(() => inbound.Count(hub.Created.ContainsKey) == customers, "the agent on node C to hear of every message since it connected");
        Assert.NotEmpty(published);

        await Task.Delay(500);
        var replies = Telegram.CallsTo("sendMessage");
        Assert.Equal(customers + 1, replies.Count);
        Assert.Equal(customers + 1, replies.Select(r => r.Text("chat_id")).Distinct().Count());
        Assert.Equal(customers + 1, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));

        // Caches across nodes (ADR 0020): every node keeps the greeter's trigger now, and would for a minute. Retracted on
        // node A, it greets nobody on B or C at once; rolled back on A, it greets again at once. Each customer writes to
        // another node, whose processor the webhook wakes first; the flow runs in the unit of work that stores the message.
        var outbox = await CountAsync("SELECT count(*) FROM \"OutboxMessages\"");
        using (var retract = Authorized(HttpMethod.Post, $"/api/v1/flows/{flowId}/retract", token, null))
            Assert.Equal(HttpStatusCode.NoContent, (await a.Client.SendAsync(retract)).StatusCode);
        foreach (var (node, id) in new[] { (b, 2001), (c, 2002) })
        {
            Assert.True(await TryPostAsync(node.Client, connectionId, secret, id));
            await WaitAsync(async () => (await InboundMessageIdsAsync()).Count == id - 2001 + customers + 2, $"customer {id}'s message to be stored");
        }
        Assert.Equal(outbox, await CountAsync("SELECT count(*) FROM \"OutboxMessages\""));

        using (var rollback = Authorized(HttpMethod.Post, $"/api/v1/flows/{flowId}/versions/1/rollback", token, null))
            (await a.Client.SendAsync(rollback)).EnsureSuccessStatusCode();
        foreach (var (node, id) in new[] { (b, 2003), (c, 2004) })
        {
            Assert.True(await TryPostAsync(node.Client, connectionId, secret, id));
            await WaitAsync(() => Telegram.CallsTo("sendMessage").Any(r => r.Text("chat_id") == (100_000 + id).ToString(CultureInfo.InvariantCulture)),
                $"customer {id} to be greeted", TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task A_killed_node_loses_nothing_acknowledged_and_its_polling_moves_to_another_node()
    {
        // Node A starts alone, so the polling connection's lock is surely A's.
        var a = Start();
        await a.WaitReadyAsync();
        var (token, connectionId, secret, _) = await SetUpWorkspaceAsync(a);
        var polling = await ConnectPollingBotAsync(a, token);
        await WaitAsync(() => _pollingBot.CallsTo("getUpdates").Count > 0, "node A to poll");
        var b = Start();
        var c = Start();
        await Task.WhenAll(b.WaitReadyAsync(), c.WaitReadyAsync());

        const int updates = 300;
        var acknowledged = new ConcurrentBag<int>();
        var nodes = new[] { a, b, c };
        var next = 0;
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            int id;
            while ((id = Interlocked.Increment(ref next)) <= updates)
            {
                if (await TryPostAsync(nodes[id % 3].Client, connectionId, secret, id))
                    acknowledged.Add(id);
            }
        })).ToList();
        await WaitAsync(() => acknowledged.Count >= updates / 3, "the stream to get going");
        a.Kill();
        var killedAt = TimeProvider.System.GetUtcNow();
        await Task.WhenAll(senders);

        // What A never acknowledged, Telegram delivers again; B takes it now.
        for (var id = 1; id <= updates; id++)
        {
            if (!acknowledged.Contains(id))
                Assert.True(await TryPostAsync(b.Client, connectionId, secret, id), $"update {id} redelivered to node B");
        }
        _pollingBot.EnqueueUpdate(TelegramWebhook.Update(999_001, 777_001, "after the kill"));
        await WaitAsync(async () => await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{polling}'") == 1,
            "another node to take over polling", TimeSpan.FromSeconds(30));
        var tookOver = TimeProvider.System.GetUtcNow() - killedAt;
        output.WriteLine($"acknowledged before/around the kill: {acknowledged.Count}; polling taken over {tookOver.TotalSeconds:F1} s after the kill");

        await WaitAsync(() => Telegram.CallsTo("sendMessage").Select(r => r.Text("chat_id")).Distinct().Count() >= updates,
            "every customer to be answered", TimeSpan.FromSeconds(90));
        await _pollingBot.WaitForCallAsync("sendMessage", r => r.Text("chat_id") == "777001");
        Assert.Equal(updates, await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{connectionId}'"));
        Assert.Equal(updates + 1, (await InboundMessageIdsAsync()).Count);
    }

    [Fact]
    public async Task Killing_the_node_that_holds_a_Discord_gateway_session_moves_it_to_another_node_which_resumes_and_loses_nothing()
    {
        await using var discord = await FakeDiscord.StartAsync();
        // Node A starts alone, so the bot's gateway session is surely A's.
        var a = Start();
        await a.WaitReadyAsync();
        var (token, _, _, _) = await SetUpWorkspaceAsync(a);
        using var create = Authorized(HttpMethod.Post, "/api/v1/channels", token, new
        {
            type = "discord", name = "Discord bot", botToken = FakeDiscord.DefaultToken, applicationId = FakeDiscord.ApplicationId,
            publicKey = FakeDiscord.PublicKeyHex, baseUrl = discord.BaseUrl.ToString(),
        });
        var connectionId = (await (await a.Client.SendAsync(create)).ReadAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("connection").GetProperty("id").GetGuid();
        await discord.WaitUntilAsync(f => f.LiveSockets == 1, "node A's gateway session", TimeSpan.FromSeconds(30));

        var b = Start();
        await b.WaitReadyAsync();
        await Task.Delay(TimeSpan.FromSeconds(5)); // B scans for sessions to hold at least twice, and must find A's taken
        Assert.Equal(1, discord.MaxLiveSockets);

        var before = await DispatchDirectMessageAsync(discord, "before the kill");
        await WaitAsync(async () => await EnvelopesAsync(connectionId, before) == 1, "the message before the kill");
        a.Kill();
        var killedAt = TimeProvider.System.GetUtcNow();
        var during = await DispatchDirectMessageAsync(discord, "while nobody listens");

        try
        {
            await discord.WaitUntilAsync(f => f.ResumeCount >= 1 && f.LiveSockets == 1, "node B to resume the session", TimeSpan.FromSeconds(45));
        }
        catch (TimeoutException)
        {
            output.WriteLine("node B wrote: " + b.Output);
            throw;
        }
        output.WriteLine($"node B resumed {(TimeProvider.System.GetUtcNow() - killedAt).TotalSeconds:F1} s after the kill");
        await WaitAsync(async () => await EnvelopesAsync(connectionId, during) == 1, "the message sent during the takeover");
        var after = await DispatchDirectMessageAsync(discord, "after the takeover");
        await WaitAsync(async () => await EnvelopesAsync(connectionId, after) == 1, "the message after the takeover");
        await WaitAsync(async () => (await InboundMessageIdsAsync()).Count == 3, "the three messages in the inbox");

        // A resume from the state A saved before it died may replay what A had stored: still one envelope each.
        Assert.Equal(1, discord.IdentifyCount);
        Assert.Equal(1, await EnvelopesAsync(connectionId, before));
        Assert.Equal(3, await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{connectionId}'"));
        Assert.Equal(3, (await InboundMessageIdsAsync()).Count);
    }

    /// <summary>Maria writes to the bot in a DM; returns the message id (the envelope's provider id).</summary>
    private static async Task<string> DispatchDirectMessageAsync(FakeDiscord discord, string content)
    {
        var id = discord.NextId();
        await discord.DispatchAsync("MESSAGE_CREATE", new JsonObject
        {
            ["id"] = id, ["channel_id"] = "2300000000000000003", ["channel_type"] = 1, ["type"] = 0, ["content"] = content,
            ["author"] = new JsonObject { ["id"] = "1300000000000000003", ["username"] = "maria.l", ["discriminator"] = "0", ["global_name"] = "Maria" },
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["attachments"] = new JsonArray(), ["mentions"] = new JsonArray(), ["embeds"] = new JsonArray(), ["components"] = new JsonArray(),
        });
        return id;
    }

    private Task<long> EnvelopesAsync(Guid connectionId, string providerId) =>
        CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{connectionId}' AND \"ProviderId\" = '{providerId}'");

    private ServerProcess Start(string lease = "00:00:03")
    {
        var node = ServerProcess.Start(Database, DataPath, new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = TestRedis.ConnectionString,
            ["OneInbox__Identity__Issuer"] = Issuer,
            ["OneInbox__Channels__Lease"] = lease,
        });
        _nodes.Add(node);
        return node;
    }

    /// <summary>The first node makes the shared key files; the others start once they exist.</summary>
    private async Task<(ServerProcess, ServerProcess, ServerProcess)> StartThreeNodesAsync(string lease)
    {
        var a = Start(lease);
        await a.WaitReadyAsync();
        var b = Start(lease);
        var c = Start(lease);
        await Task.WhenAll(b.WaitReadyAsync(), c.WaitReadyAsync());
        return (a, b, c);
    }

    /// <summary>A workspace, its owner's token, a Telegram webhook connection and a published bot that greets every new customer.</summary>
    private async Task<(string Token, Guid ConnectionId, string Secret, Guid FlowId)> SetUpWorkspaceAsync(ServerProcess node)
    {
        var email = $"cluster-{Guid.NewGuid():N}@example.test";
        var signup = await node.Client.PostAsJsonAsync("/api/v1/signup", new { email, password = Password, displayName = "Cluster", workspaceName = "Cluster", confirmAdult = true });
        var workspace = await signup.ReadAsync<JsonElement>(HttpStatusCode.Created);
        var tokenResponse = await node.Client.PostAsync("/connect/token", TestIdentity.PasswordForm(email, Password, workspace.GetProperty("id").GetGuid()));
        var token = TestIdentity.ReadToken(await tokenResponse.Content.ReadAsStringAsync()).AccessToken;

        using var create = Authorized(HttpMethod.Post, "/api/v1/channels", token,
            new { type = "telegram", name = "Cluster bot", botToken = Telegram.Token, mode = "webhook", baseUrl = Telegram.BaseUrl.ToString() });
        var created = await (await node.Client.SendAsync(create)).ReadAsync<JsonElement>(HttpStatusCode.Created);

        var graph = JsonDocument.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{"firstMessageOnly":true}},"variables":[],"start":"hi",
             "nodes":[{"id":"hi","type":"SendMessage","typeVersion":1,"inputs":{"text":"Hello, we got your message."}}],"edges":[]}
            """).RootElement;
        using var import = Authorized(HttpMethod.Post, "/api/v1/flows/import", token, new { format = "oneinbox-flow/1", name = "Greeter", graph });
        var flow = await (await node.Client.SendAsync(import)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        using var publish = Authorized(HttpMethod.Post, $"/api/v1/flows/{flow.GetProperty("id").GetGuid()}/publish", token, null);
        (await node.Client.SendAsync(publish)).EnsureSuccessStatusCode();
        return (token, created.GetProperty("connection").GetProperty("id").GetGuid(), created.GetProperty("inboundSecret").GetString()!, flow.GetProperty("id").GetGuid());
    }

    private async Task<Guid> ConnectPollingBotAsync(ServerProcess node, string token)
    {
        using var create = Authorized(HttpMethod.Post, "/api/v1/channels", token,
            new { type = "telegram", name = "Polling bot", botToken = _pollingBot.Token, mode = "polling", baseUrl = _pollingBot.BaseUrl.ToString() });
        var created = await (await node.Client.SendAsync(create)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return created.GetProperty("connection").GetProperty("id").GetGuid();
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string token, object? body)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static Task<bool> TryPostAsync(HttpClient http, Guid connectionId, string secret, int id) =>
        TelegramWebhook.TryPostAsync(http, connectionId, secret, id, 100_000 + id, $"hello {id}");

    private static async Task<Listener> ListenAsync(ServerProcess node, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, $"hubs/inbox?access_token={Uri.EscapeDataString(token)}"), o =>
                o.Transports = HttpTransportType.WebSockets)
            .Build();
        var listener = new Listener(connection);
        connection.On<JsonElement>("message.created", payload =>
        {
            if (payload.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String)
                listener.Created[id.GetGuid()] = true;
        });
        await connection.StartListeningAsync();
        return listener;
    }

    private async Task<List<Guid>> InboundMessageIdsAsync()
    {
        await using var db = new NpgsqlConnection(Database);
        await db.OpenAsync();
        await using var reader = await new NpgsqlCommand("SELECT \"Id\" FROM \"Messages\" WHERE \"Direction\" = 0", db).ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    private Task<Guid> WorkspaceOfAsync(Guid connectionId) =>
        ScalarAsync<Guid>($"SELECT \"WorkspaceId\" FROM \"ChannelConnections\" WHERE \"Id\" = '{connectionId}'");

    private sealed class Listener(HubConnection connection) : IAsyncDisposable
    {
        public ConcurrentDictionary<Guid, bool> Created { get; } = new();

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
