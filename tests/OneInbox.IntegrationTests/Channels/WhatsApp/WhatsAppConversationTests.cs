using OneInbox.Application.Attachments;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using static OneInbox.IntegrationTests.Channels.WhatsApp.WhatsAppTestKit;

namespace OneInbox.IntegrationTests.Channels.WhatsApp;

/// <summary>A WhatsApp customer talks to the same published flow as Telegram customers, then to an agent.</summary>
public sealed class WhatsAppConversationTests(OneInboxApp app) : LiveFlowTest(app)
{
    private FakeWhatsAppGraphApi _graph = null!;
    private Guid _connection;
    private int _wamid;

    public override async Task InitializeAsync()
    {
        _graph = await FakeWhatsAppGraphApi.StartAsync();
        await base.InitializeAsync();
        (_connection, _, _) = await ConnectAsync(Admin, _graph);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task The_published_menu_flow_answers_with_reply_buttons_and_a_button_press_resumes_it()
    {
        var (teamId, _) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");

        await CustomerAsync(Text(NextWamid(), "Hi"));
        var menu = await SentAsync(m => m["type"]!.GetValue<string>() == "interactive");
        Assert.Equal(Maria, menu["to"]!.GetValue<string>());
        Assert.Equal("button", menu["interactive"]!["type"]!.GetValue<string>());
        Assert.Equal("Hi Maria Lopez! How can we help?", menu["interactive"]!["body"]!["text"]!.GetValue<string>());
        var buttons = menu["interactive"]!["action"]!["buttons"]!.AsArray();
        Assert.Equal(["hours", "order", "agent"], buttons.Select(b => b!["reply"]!["id"]!.GetValue<string>()));
        Assert.Equal(["Opening hours", "Order status", "Talk to an agent"], buttons.Select(b => b!["reply"]!["title"]!.GetValue<string>()));

        await CustomerAsync(ButtonReply(NextWamid(), "order", "Order status", 1));

        var ask = await SentAsync(m => m["type"]!.GetValue<string>() == "text");
        Assert.Equal("What is the email address on your order?", ask["text"]!["body"]!.GetValue<string>());
        Assert.False(ask["text"]!["preview_url"]!.GetValue<bool>());
    }

    [Fact]
    public async Task More_than_three_choices_go_out_as_an_interactive_list_and_a_row_press_resumes_the_flow()
    {
        var (teamId, _) = await SupportTeamAsync();
        var graph = MenuGraph(teamId);
        var menuNode = graph["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "menu")!;
        menuNode["inputs"]!["choices"]!.AsArray().Add(new JsonObject { ["title"] = "Returns and refunds for damaged parcels", ["value"] = "returns" });
        graph["edges"]!.AsArray().Add(new JsonObject { ["source"] = "menu", ["sourcePort"] = "returns", ["target"] = "hours" });
        await PublishAsync(graph, "Big menu");

        await CustomerAsync(Text(NextWamid(), "Hi"));
        var menu = await SentAsync(m => m["type"]!.GetValue<string>() == "interactive");
        Assert.Equal("list", menu["interactive"]!["type"]!.GetValue<string>());
        var rows = menu["interactive"]!["action"]!["sections"]![0]!["rows"]!.AsArray();
        Assert.Equal(["hours", "order", "agent", "returns"], rows.Select(r => r!["id"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.True(r!["title"]!.GetValue<string>().Length <= 24));

        await CustomerAsync(ListReply(NextWamid(), "hours", "Opening hours", 1));

        var answer = await SentAsync(m => m["type"]!.GetValue<string>() == "text");
        Assert.Equal("We are open Monday to Friday, 9:00 to 17:00.", answer["text"]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reply_keeps_the_message_it_answers_and_a_reaction_shows_on_the_message_it_reacts_to()
    {
        await CustomerAsync(Text(NextWamid(), "Do you ship to Spain?"));
        var conversationId = await ConversationIdAsync();
        var reply = await (await Admin.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { text = "Yes, in 2 days." }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var ours = reply.GetProperty("message").GetProperty("id").GetGuid();
        var wamid = await WaitForProviderIdAsync(conversationId, ours);

        var answer = new { context = new { from = "15550001111", id = wamid }, from = Maria, id = NextWamid(), timestamp = Timestamp(5), type = "text", text = new { body = "Perfect!" } };
        await CustomerAsync(answer);
        await CustomerAsync(new { from = Maria, id = NextWamid(), timestamp = Timestamp(6), type = "reaction", reaction = new { message_id = wamid, emoji = "\uD83D\uDC4D" } });
        await CustomerAsync(new { from = Maria, id = NextWamid(), timestamp = Timestamp(7), type = "reaction", reaction = new { message_id = "wamid.UNKNOWN", emoji = "\u2764\uFE0F" } });
        await WaitForAsync(async () => (await MessagesAsync(conversationId)).Any(m => m.GetProperty("text").GetString() == "Reacted \u2764\uFE0F"), "the reaction to an unknown message");

        var messages = await MessagesAsync(conversationId);
        Assert.Equal(ours, messages.Single(m => m.GetProperty("text").GetString() == "Perfect!").GetProperty("replyToMessageId").GetGuid());
        Assert.Equal("\uD83D\uDC4D", messages.Single(m => m.GetProperty("id").GetGuid() == ours).GetProperty("customerReaction").GetString());
        Assert.DoesNotContain(messages, m => m.GetProperty("text").GetString() == "\uD83D\uDC4D" || m.GetProperty("text").GetString() == "Reacted \uD83D\uDC4D");

        await CustomerAsync(new { from = Maria, id = NextWamid(), timestamp = Timestamp(8), type = "reaction", reaction = new { message_id = wamid, emoji = "" } });
        await WaitForAsync(async () => (await MessagesAsync(conversationId)).Single(m => m.GetProperty("id").GetGuid() == ours)
            .GetProperty("customerReaction").ValueKind == JsonValueKind.Null, "the reaction to be taken back");
    }

    private async Task<List<JsonElement>> MessagesAsync(Guid conversationId) =>
        (await (await Admin.GetAsync($"/api/v1/conversations/{conversationId}/messages?limit=100")).ReadAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task A_reply_marks_the_customers_last_message_read_and_statuses_out_of_order_leave_the_furthest_one()
    {
        await CustomerAsync(Text(NextWamid(), "Hello?"));
        var lastWords = NextWamid();
        await CustomerAsync(Text(lastWords, "I need help"));
        var conversationId = await ConversationIdAsync();
        await WaitForAsync(async () => (await MessagesAsync(conversationId)).Count == 2, "both of the customer's messages");
        var reply = await (await Admin.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { text = "Hello Maria, how can I help?" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var messageId = reply.GetProperty("message").GetProperty("id").GetGuid();
        await SentAsync(m => m["type"]!.GetValue<string>() == "text");
        var wamid = await WaitForProviderIdAsync(conversationId, messageId);
        // The reply gave the customer's last message its blue ticks, once: the next reply has nothing new to mark.
        await (await Admin.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { text = "Let me check." })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await SentAsync(m => m["text"]?["body"]?.GetValue<string>() == "Let me check.");
        var receipt = Assert.Single(_graph.Calls, c => c.Body.Contains("\"status\":\"read\"", StringComparison.Ordinal));
        Assert.Equal(lastWords, JsonNode.Parse(receipt.Body)!["message_id"]!.GetValue<string>());

        await CustomerAsync(null, [Status(wamid, "read", 3)]);
        await WaitForAsync(async () => await StatusOfAsync(conversationId, messageId) == "read", "the read status");
        await CustomerAsync(null, [Status(wamid, "delivered", 2), Status(wamid, "sent", 1)]);
        await Task.Delay(700);

        Assert.Equal("read", await StatusOfAsync(conversationId, messageId));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ProviderId\" LIKE 'status:%'"));
    }

    [Fact]
    public async Task An_expired_token_shows_in_health_holds_the_outbox_and_rotating_it_delivers()
    {
        await CustomerAsync(Text(NextWamid(), "Are you there?"));
        var conversationId = await ConversationIdAsync();
        _graph.ExpireToken();

        await (await Admin.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { text = "Yes, we are!" })).ReadAsync<JsonElement>(HttpStatusCode.Created);

        await WaitForAsync(async () => (await HealthAsync()).LastError?.Contains("token_expired", StringComparison.Ordinal) == true, "the health to show the token");
        var health = await HealthAsync();
        Assert.Equal(1, health.PendingOutbox);
        Assert.Equal(0, health.FailedOutbox);
        await Task.Delay(1000);
        Assert.Single(_graph.Calls, c => c.Path.EndsWith("/messages", StringComparison.Ordinal));

        var rotated = await Admin.PatchAsync($"/api/v1/channels/{_connection}",
            new StringContent(JsonSerializer.Serialize(new { accessToken = _graph.RotateToken() }), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);

        var sent = await SentAsync(m => m["type"]!.GetValue<string>() == "text");
        Assert.Equal("Yes, we are!", sent["text"]!["body"]!.GetValue<string>());
        await WaitForAsync(async () => (await HealthAsync()).PendingOutbox == 0, "the outbox to empty");
    }

    [Fact]
    public async Task Stored_media_is_uploaded_and_sent_by_media_id_and_public_media_by_link()
    {
        await CustomerAsync(Text(NextWamid(), "Can you send the invoice?"));
        string key;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            key = (await scope.ServiceProvider.GetRequiredService<IAttachmentStore>()
                .SaveAsync(Workspace.Id, new MemoryStream("%PDF-1.4 fake invoice"u8.ToArray()), 1024 * 1024, CancellationToken.None)).StorageKey;
        }

        await QueueReplyAsync(_connection, new OutboundMessage(Guid.NewGuid(), Maria, MessageKind.Document, "Here it is", [],
            [new OutboundAttachment(MessageKind.Document, key, "invoice-4711.pdf", "application/pdf")]));
        await QueueReplyAsync(_connection, new OutboundMessage(Guid.NewGuid(), Maria, MessageKind.Image, null, [],
            [new OutboundAttachment(MessageKind.Image, null, "label.jpg", "image/jpeg", "https://files.example.com/labels/4711.jpg")]));

        var sent = await SentAsync(m => m["type"]!.GetValue<string>() == "document");
        var mediaId = sent["document"]!["id"]!.GetValue<string>();
        Assert.Equal("invoice-4711.pdf", sent["document"]!["filename"]!.GetValue<string>());
        Assert.Equal("Here it is", sent["document"]!["caption"]!.GetValue<string>());
        Assert.Equal("%PDF-1.4 fake invoice"u8.ToArray(), _graph.UploadedMedia(mediaId));
        var image = await SentAsync(m => m["type"]!.GetValue<string>() == "image");
        Assert.Equal("https://files.example.com/labels/4711.jpg", image["image"]!["link"]!.GetValue<string>());
    }

    private string NextWamid() => "wamid.IN" + Interlocked.Increment(ref _wamid);

    private async Task CustomerAsync(object? message, object[]? statuses = null)
    {
        var response = await PostSignedAsync(Host.CreateClient(), _connection,
            Body(Change(FakeWhatsAppGraphApi.DefaultPhoneNumberId, message is null ? null : [message], statuses)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonObject> SentAsync(Func<JsonObject, bool> match)
    {
        JsonObject? found = null;
        try
        {
            await WaitForAsync(() => Task.FromResult((found = _graph.Sent.LastOrDefault(match)) is not null), "a send to the Graph API");
        }
        catch (TimeoutException)
        {
            var outbox = await ScalarAsync("SELECT string_agg(\"LastError\", ' | ') FROM \"OutboxMessages\"");
            throw new TimeoutException($"No matching send. Graph calls: {string.Join("; ", _graph.Calls.Select(c => $"{c.Method} {c.Path} {c.Status}"))}. Outbox errors: {outbox}");
        }
        return found!;
    }

    private async Task<Guid> ConversationIdAsync()
    {
        Guid? id = null;
        await WaitForAsync(async () =>
        {
            var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
            id = page.GetProperty("items").EnumerateArray().Select(c => (Guid?)c.GetProperty("id").GetGuid()).FirstOrDefault();
            return id is not null;
        }, "the conversation");
        return id!.Value;
    }

    private async Task<JsonElement> MessageAsync(Guid conversationId, Guid messageId)
    {
        var page = await (await Admin.GetAsync($"/api/v1/conversations/{conversationId}/messages?limit=100")).ReadAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == messageId);
    }

    private async Task<string?> StatusOfAsync(Guid conversationId, Guid messageId) =>
        (await MessageAsync(conversationId, messageId)).GetProperty("status").GetString();

    private async Task<string> WaitForProviderIdAsync(Guid conversationId, Guid messageId)
    {
        string? wamid = null;
        await WaitForAsync(async () => (wamid = await ScalarAsync($"SELECT \"ProviderMessageId\" FROM \"Messages\" WHERE \"Id\" = '{messageId}'")) is { Length: > 0 },
            "the send to be recorded");
        Assert.Equal("sent", await StatusOfAsync(conversationId, messageId));
        return wamid!;
    }

    private async Task<Health> HealthAsync() =>
        (await (await Admin.GetAsync($"/api/v1/channels/{_connection}")).ReadAsync<Connection>()).Health;
}
