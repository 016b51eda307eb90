using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Domain.Channels;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;

namespace OneInbox.IntegrationTests.Channels.Discord;

/// <summary>
/// A Discord bot connected over HTTP to a worker host on PostgreSQL, talking to the fake Discord (REST and a real
/// WebSocket gateway): the inbox receives over the gateway, published flows answer with buttons, presses come
/// back over the gateway or the signed interactions endpoint.
/// </summary>
public class DiscordChannelTests(OneInboxApp app) : OneInbox.IntegrationTests.Flows.LiveFlowTest(app)
{
    private const string Maria = "1300000000000000003";
    private const string MariaDm = "2300000000000000003";
    private const string ListedChannel = "1300000000000000200";
    private const string OtherChannel = "1300000000000000201";
    private const string Guild = "1300000000000000100";
    private const string Menu = "Hi Maria! How can we help?";
    private const string AskEmail = "What is the email address on your order?";
    private long _next = 1300000000000007000;

    protected FakeDiscord Discord { get; private set; } = null!;

    protected Created DiscordConnection { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Discord = await FakeDiscord.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 1000 });
        var response = await Admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "discord",
            name = "Discord bot",
            botToken = FakeDiscord.DefaultToken,
            applicationId = FakeDiscord.ApplicationId,
            publicKey = FakeDiscord.PublicKeyHex,
            guildChannelIds = new[] { ListedChannel },
            baseUrl = Discord.BaseUrl.ToString(),
        });
        DiscordConnection = await response.ReadAsync<Created>(HttpStatusCode.Created);
        await Discord.WaitUntilAsync(f => f.LiveSockets == 1, "the worker host's gateway session", TimeSpan.FromSeconds(20));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Discord.DisposeAsync();
    }

    private string NextId() => Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);

    private static JsonObject User() => new() { ["id"] = Maria, ["username"] = "maria.l", ["discriminator"] = "0", ["global_name"] = "Maria", ["avatar"] = null };

    private JsonObject DirectMessage(string content, string? id = null) => new()
    {
        ["id"] = id ?? NextId(), ["channel_id"] = MariaDm, ["channel_type"] = 1, ["type"] = 0, ["content"] = content, ["author"] = User(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["edited_timestamp"] = null,
        ["attachments"] = new JsonArray(), ["mentions"] = new JsonArray(), ["embeds"] = new JsonArray(), ["components"] = new JsonArray(),
    };

    private JsonObject GuildMessage(string channelId, string content)
    {
        var message = DirectMessage(content);
        message["channel_id"] = channelId;
        message["guild_id"] = Guild;
        message["channel_type"] = 0;
        message["member"] = new JsonObject { ["roles"] = new JsonArray(), ["joined_at"] = "2025-11-02T10:00:00.000000+00:00" };
        return message;
    }

    private JsonObject ButtonPress(FakeDiscordMessage pressedOn, string customId) => new()
    {
        ["id"] = NextId(), ["application_id"] = FakeDiscord.ApplicationId, ["type"] = 3, ["token"] = "interaction-token-" + NextId(), ["version"] = 1,
        ["channel_id"] = pressedOn.ChannelId, ["user"] = User(),
        ["data"] = new JsonObject { ["component_type"] = 2, ["custom_id"] = customId },
        ["message"] = new JsonObject
        {
            ["id"] = pressedOn.Id, ["channel_id"] = pressedOn.ChannelId, ["content"] = pressedOn.Content,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["components"] = pressedOn.Payload["components"]!.DeepClone(),
        },
    };

    [Fact]
    public async Task Connecting_checks_the_token_with_users_me_and_a_refused_token_stores_nothing()
    {
        Assert.Contains(Discord.Requests, r => r.Path == "/api/v10/users/@me");
        Assert.Equal($"{PublicBaseUrl}webhooks/discord/{DiscordConnection.Connection.Id}/interactions", DiscordConnection.InboundUrl);

        var refused = await Admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "discord", name = "Wrong", botToken = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.Gwrong.not-the-right-token-at-all-000", applicationId = FakeDiscord.ApplicationId,
            publicKey = FakeDiscord.PublicKeyHex, baseUrl = Discord.BaseUrl.ToString(),
        });

        Assert.True(refused.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"got {refused.StatusCode}");
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM \"ChannelConnections\""));
        var stored = await ScalarAsync($"SELECT \"Credentials\" FROM \"ChannelConnections\" WHERE \"Id\" = '{DiscordConnection.Connection.Id}'");
        Assert.DoesNotContain(FakeDiscord.DefaultToken, stored!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_published_menu_flow_answers_a_dm_with_buttons_and_a_press_over_the_gateway_continues_it()
    {
        var (teamId, _) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");

        await Discord.DispatchAsync("MESSAGE_CREATE", DirectMessage("Hi"));
        var menu = await Discord.WaitForMessageAsync(m => m.Content == Menu, TimeSpan.FromSeconds(45));
        Assert.Equal(MariaDm, menu.ChannelId);
        Assert.Equal(["hours", "order", "agent"], menu.Buttons.Select(b => b.CustomId));

        var press = ButtonPress(menu, "order");
        await Discord.DispatchAsync("INTERACTION_CREATE", press);

        await Discord.WaitForMessageAsync(m => m.Content == AskEmail, TimeSpan.FromSeconds(45));
        await WaitForAsync(() => Task.FromResult(Discord.InteractionCallbacks.Any(c => c.InteractionId == press["id"]!.GetValue<string>() && c.Type == 6)), "the deferred update");
        var reply = Inbox.Received.Single(r => r.Message.Kind == MessageKind.ButtonReply);
        Assert.Equal("order", reply.Message.ButtonPayload);
        Assert.Equal(Maria, reply.Message.Sender.ExternalId);
        Assert.Equal("Maria", reply.Message.Sender.DisplayName);
    }

    [Fact]
    public async Task A_message_in_a_listed_server_channel_is_answered_mentioning_the_user_and_one_in_another_channel_is_ignored()
    {
        await PublishAsync(MenuGraph((await SupportTeamAsync()).TeamId), "Support menu");

        await Discord.DispatchAsync("MESSAGE_CREATE", GuildMessage(OtherChannel, "anyone here?"));
        await Discord.DispatchAsync("MESSAGE_CREATE", GuildMessage(ListedChannel, "Hello support"));

        var answer = await Discord.WaitForMessageAsync(m => m.ChannelId == ListedChannel, TimeSpan.FromSeconds(45));
        Assert.StartsWith($"<@{Maria}> ", answer.Content, StringComparison.Ordinal);
        Assert.Equal([Maria], answer.Payload["allowed_mentions"]!["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        await Task.Delay(500);
        Assert.DoesNotContain(Inbox.Calls, r => r.Message.Text == "anyone here?");
        Assert.DoesNotContain(Discord.SentMessages, m => m.ChannelId == OtherChannel);
        Assert.Equal($"{ListedChannel}:{Maria}", Inbox.Received.Single(r => r.Message.Text == "Hello support").Message.ConversationKey);
        // The bot's own answer came back over the gateway and was not taken for a customer's message.
        Assert.DoesNotContain(Inbox.Calls, r => r.Message.Sender.ExternalId == FakeDiscord.BotUserId);
    }

    [Fact]
    public async Task The_gateway_drops_mid_stream_and_resumes_without_losing_or_duplicating_messages()
    {
        var sent = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var message = DirectMessage("before " + i);
            sent.Add(message["id"]!.GetValue<string>());
            await Discord.DispatchAsync("MESSAGE_CREATE", message);
        }
        await Discord.DropAsync();
        for (var i = 0; i < 5; i++)
        {
            var message = DirectMessage("after " + i);
            sent.Add(message["id"]!.GetValue<string>());
            await Discord.DispatchAsync("MESSAGE_CREATE", message);
        }
        await Discord.WaitUntilAsync(f => f.ResumeCount >= 1, "a resume", TimeSpan.FromSeconds(20));

        await Inbox.WaitUntilAsync(i => sent.All(id => i.Received.Any(r => r.Message.ProviderMessageId == id)), what: "all ten messages");
        await Task.Delay(500);
        Assert.Equal(10, Inbox.Calls.Count(c => sent.Contains(c.Message.ProviderMessageId)));
        Assert.Equal(10, await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{DiscordConnection.Connection.Id}'"));
        Assert.Equal(1, Discord.IdentifyCount);
    }

    [Fact]
    public async Task A_zombie_connection_is_detected_and_replaced_and_messages_keep_arriving()
    {
        Discord.WithholdAcks = true;
        await Discord.WaitUntilAsync(f => f.ConnectionCount >= 2, "a new connection after the missing ACKs", TimeSpan.FromSeconds(10));
        Discord.WithholdAcks = false;
        // Usually a resume; on a starved machine the fake may time the session out first (4009), and then it is a new one.
        await Discord.WaitUntilAsync(f => f.LiveSockets == 1 && f.ResumeCount + f.IdentifyCount >= 2, "the session after the zombie", TimeSpan.FromSeconds(20));

        await Discord.DispatchAsync("MESSAGE_CREATE", DirectMessage("still there?"));

        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "still there?"), what: "the message after the zombie");
    }

    [Fact]
    public async Task Close_4004_stops_the_connector_and_the_health_says_why()
    {
        Discord.RevokeToken();
        await Discord.CloseAsync(4000); // the resume now meets the refused token

        await WaitForAsync(async () =>
        {
            var connection = await (await Admin.GetAsync($"/api/v1/channels/{DiscordConnection.Connection.Id}")).ReadAsync<Connection>();
            return connection.Health.LastError?.Contains("4004", StringComparison.Ordinal) == true;
        }, "the 4004 reason in the connection's health");
        var health = (await (await Admin.GetAsync($"/api/v1/channels/{DiscordConnection.Connection.Id}")).ReadAsync<Connection>()).Health;
        Assert.Contains("authentication failed", health.LastError, StringComparison.Ordinal);
        var connections = Discord.ConnectionCount;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(connections, Discord.ConnectionCount);
    }

    [Fact]
    public async Task The_interactions_endpoint_answers_ping_with_pong_acknowledges_a_signed_press_and_refuses_tampering()
    {
        using var http = Host.CreateClient();
        var endpoint = new Uri(http.BaseAddress!, $"/webhooks/discord/{DiscordConnection.Connection.Id}/interactions");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        const string Ping = """{"application_id":"1300000000000000001","id":"1300000000000000002","token":"fake-interaction-token","type":1,"version":1}""";

        var pong = await Discord.PostInteractionAsync(http, endpoint, Ping, now);
        Assert.Equal(HttpStatusCode.OK, pong.StatusCode);
        Assert.Equal("application/json", pong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, JsonDocument.Parse(await pong.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32());

        var click = $$"""{"application_id":"1300000000000000001","channel_id":"{{MariaDm}}","data":{"component_type":2,"custom_id":"menu:agent"},"id":"1300000000000000020","token":"fake-interaction-token-2","type":3,"user":{"id":"{{Maria}}","username":"maria.l","discriminator":"0","global_name":"Maria","avatar":null},"version":1}""";
        var tamperedBody = await Discord.PostInteractionAsync(http, endpoint, click.Replace("menu:agent", "menu:admin", StringComparison.Ordinal), now, signature: FakeDiscord.Sign(now, click));
        var tamperedTime = await Discord.PostInteractionAsync(http, endpoint, click, now, signedTimestamp: (long.Parse(now, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture));
        var badSignature = await Discord.PostInteractionAsync(http, endpoint, click, now, signature: new string('0', 128));
        var stale = await Discord.PostInteractionAsync(http, endpoint, click, "1767225700");
        Assert.All([tamperedBody, tamperedTime, badSignature, stale], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = '{DiscordConnection.Connection.Id}'"));

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var accepted = await Discord.PostInteractionAsync(http, endpoint, click, now);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(6, JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32());
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.ButtonPayload == "menu:agent"), what: "the press");
        Assert.Equal(MariaDm, Inbox.Received.Single(r => r.Message.ButtonPayload == "menu:agent").Message.ConversationKey);
    }

    [Fact]
    public async Task A_429_on_send_is_honoured_and_every_reply_is_delivered_afterwards()
    {
        await PublishAsync(MenuGraph((await SupportTeamAsync()).TeamId), "Support menu");
        Discord.RateLimitNext(2, 0.5);

        await Discord.DispatchAsync("MESSAGE_CREATE", DirectMessage("Hi there"));
        await Discord.WaitForMessageAsync(m => m.Content == Menu, TimeSpan.FromSeconds(45));

        var limited = Discord.Requests.Where(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();
        Assert.True(limited.Count >= 3, $"expected the two 429s and the delivery, saw {limited.Count} requests");
        Assert.True(limited[^1].At - limited[0].At >= TimeSpan.FromMilliseconds(900), "the retries did not wait for retry_after");
        Assert.Single(Discord.SentMessages, m => m.Content == Menu);
    }

    [Fact]
    public async Task Missing_permissions_fail_the_reply_with_a_clear_reason_instead_of_retrying()
    {
        await PublishAsync(MenuGraph((await SupportTeamAsync()).TeamId), "Support menu");
        Discord.ErrorNext(1, 403, 50013, "Missing Permissions");

        await Discord.DispatchAsync("MESSAGE_CREATE", DirectMessage("Hi there"));

        await WaitForAsync(async () =>
        {
            var page = await (await Admin.GetAsync($"/api/v1/channels/{DiscordConnection.Connection.Id}/outbox?status=failed")).ReadAsync<Page<Outbox>>();
            return page.Items.Any(o => o.LastError?.Contains("permission", StringComparison.OrdinalIgnoreCase) == true);
        }, "the failed reply");
        Assert.Equal(1, Discord.Requests.Count(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_agent_starts_a_dm_with_a_server_member_and_a_user_who_refuses_dms_gets_a_clear_422()
    {
        await Discord.DispatchAsync("MESSAGE_CREATE", GuildMessage(ListedChannel, "Can someone DM me about my order?"));
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "Can someone DM me about my order?"), what: "the server-channel message");
        var contactId = (await ConversationAsync()).GetProperty("contactId").GetGuid();
        var guildConversation = (await ConversationAsync()).GetProperty("id").GetGuid();
        var start = new { contactId, connectionId = DiscordConnection.Connection.Id, text = "Hi Maria, about your order: it ships today." };

        var started = await (await Admin.PostJsonAsync("/api/v1/conversations", start)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var dm = await Discord.WaitForMessageAsync(m => m.Content == "Hi Maria, about your order: it ships today.", TimeSpan.FromSeconds(30));
        Assert.Equal(FakeDiscord.DmChannelId(Maria), dm.ChannelId);
        var dmConversation = started.GetProperty("conversation").GetProperty("id").GetGuid();
        Assert.NotEqual(guildConversation, dmConversation);
        Assert.Single(Discord.Requests, r => r.Path.EndsWith("/users/@me/channels", StringComparison.Ordinal));

        // Maria answers in the DM: the same conversation, not a new one.
        var answer = DirectMessage("Thanks!");
        await Discord.DispatchAsync("MESSAGE_CREATE", answer);
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "Thanks!"), what: "Maria's answer in the DM");
        var messages = await (await Admin.GetAsync($"/api/v1/conversations/{dmConversation}/messages")).ReadAsync<JsonElement>();
        Assert.Contains(messages.GetProperty("items").EnumerateArray(), m => m.GetProperty("text").GetString() == "Thanks!");

        // Writing again goes to the open DM conversation without opening another.
        var again = await (await Admin.PostJsonAsync("/api/v1/conversations", start with { text = "One more thing." })).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.False(again.GetProperty("started").GetBoolean());

        Discord.RefuseDirectMessagesFrom("1300000000000000009");
        await Discord.DispatchAsync("MESSAGE_CREATE", GuildMessageFrom("1300000000000000009", "no DMs please"));
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "no DMs please"), what: "the second member's message");
        var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
        var refuser = page.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("contactName").GetString() == "Other");
        var refused = await (await Admin.PostJsonAsync("/api/v1/conversations",
            new { contactId = refuser.GetProperty("contactId").GetGuid(), connectionId = DiscordConnection.Connection.Id, text = "Hello" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("conversation.dm_refused", refused.GetProperty("code").GetString());
    }

    private JsonObject GuildMessageFrom(string userId, string content)
    {
        var message = GuildMessage(ListedChannel, content);
        message["author"] = new JsonObject { ["id"] = userId, ["username"] = "other", ["discriminator"] = "0", ["global_name"] = "Other", ["avatar"] = null };
        return message;
    }

    [Fact]
    public async Task Two_server_processes_hold_one_gateway_session_and_when_the_holder_stops_the_other_takes_over_and_resumes()
    {
        var second = StartHost(ConfigureHost);
        _ = second.Server; // start it: its gateway host scans for sessions to hold
        await Task.Delay(DiscordScanWait);
        // Never two sessions at once, and no second identify (a reconnect on a busy machine resumes, which is fine).
        Assert.Equal(1, Discord.MaxLiveSockets);
        Assert.Equal(1, Discord.IdentifyCount);

        await Host.DisposeAsync();
        Host = second;
        await Discord.DispatchAsync("MESSAGE_CREATE", DirectMessage("while nobody listens"));
        await Discord.WaitUntilAsync(f => f.ResumeCount >= 1 && f.LiveSockets == 1, "the takeover", TimeSpan.FromSeconds(30));

        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "while nobody listens"), what: "the message sent during the takeover");
        Assert.Equal(1, Discord.IdentifyCount);
    }

    private static readonly TimeSpan DiscordScanWait = TimeSpan.FromSeconds(5);
}
