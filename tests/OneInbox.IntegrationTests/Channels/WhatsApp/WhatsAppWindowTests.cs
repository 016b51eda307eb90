using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using static OneInbox.IntegrationTests.Channels.WhatsApp.WhatsAppTestKit;

namespace OneInbox.IntegrationTests.Channels.WhatsApp;

/// <summary>
/// WhatsApp's 24-hour customer service window, enforced by us before Meta would refuse: after it closes an agent's
/// free-form reply is a 422 and a flow's message faults to people; approved templates go out at any time and the
/// inbox shows their rendered text.
/// </summary>
public sealed class WhatsAppWindowTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string OrderUpdate = "Hi {{1}}, your order {{2}} ships today.";

    private FakeWhatsAppGraphApi _graph = null!;
    private Guid _connection;

    public override async Task InitializeAsync()
    {
        _graph = await FakeWhatsAppGraphApi.StartAsync();
        // Meta refuses free-form sends outside the window too: the fake would fail any message we let through.
        _graph.EnforceWindow = true;
        _graph.Templates.Add(Template("order_update", "en_US", "APPROVED", OrderUpdate));
        _graph.Templates.Add(Template("spring_sale", "en_US", "PENDING", "Spring sale: {{1}} off!"));
        await base.InitializeAsync();
        (_connection, _, _) = await ConnectAsync(Admin, _graph);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task After_24_hours_an_agent_reply_is_refused_and_an_approved_template_goes_out_with_its_text_in_the_inbox()
    {
        await CustomerAsync("wamid.OLD1", "Where is my order?", DateTimeOffset.UtcNow.AddHours(-25));
        var conversation = await WhatsAppConversationAsync();
        var id = conversation.GetProperty("id").GetGuid();
        Assert.True(conversation.GetProperty("replyWindowEndsAt").GetDateTimeOffset() < DateTimeOffset.UtcNow);

        var refused = await (await Admin.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { text = "It ships today!" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("conversation.window_closed", refused.GetProperty("code").GetString());
        Assert.Contains("template", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var templates = await (await Admin.GetAsync($"/api/v1/channels/{_connection}/templates")).ReadAsync<JsonElement>();
        var orderUpdate = templates.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "order_update");
        Assert.Equal(2, orderUpdate.GetProperty("parameterCount").GetInt32());
        await (await Admin.GetAsync($"/api/v1/channels/{_connection}/templates")).ReadAsync<JsonElement>();
        Assert.Single(_graph.Calls, c => c.Path.EndsWith("/message_templates", StringComparison.Ordinal));
        await (await Admin.GetAsync($"/api/v1/channels/{_connection}/templates?refresh=true")).ReadAsync<JsonElement>();
        Assert.Equal(2, _graph.Calls.Count(c => c.Path.EndsWith("/message_templates", StringComparison.Ordinal)));

        async Task RefusedAsync(object template, string code)
        {
            var problem = await (await Admin.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { template })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }
        await RefusedAsync(new { name = "order_update", language = "en_US", parameters = new[] { "Maria" } }, "template.parameters");
        await RefusedAsync(new { name = "order_updates", language = "en_US", parameters = Array.Empty<string>() }, "template.unknown");
        await RefusedAsync(new { name = "spring_sale", language = "en_US", parameters = new[] { "20%" } }, "template.not_approved");

        var sent = await (await Admin.PostJsonAsync($"/api/v1/conversations/{id}/messages",
            new { template = new { name = "order_update", language = "en_US", parameters = new[] { "Maria", "A-1001" } } })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("Hi Maria, your order A-1001 ships today.", sent.GetProperty("message").GetProperty("text").GetString());
        var template = await SentAsync(m => m["type"]?.GetValue<string>() == "template");
        Assert.Equal("order_update", template["template"]!["name"]!.GetValue<string>());
        Assert.Equal(["Maria", "A-1001"], template["template"]!["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        await WaitForAsync(async () => (await OutboxAsync("sent")) == 1, "the template to be delivered");

        // The customer answers: the window opens again and a free-form reply goes through.
        await CustomerAsync("wamid.NEW1", "Great, thanks!", DateTimeOffset.UtcNow);
        await WaitForAsync(async () => (await WhatsAppConversationAsync()).GetProperty("replyWindowEndsAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23),
            "the window to open again");
        await (await Admin.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { text = "You are welcome!" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await SentAsync(m => m["text"]?["body"]?.GetValue<string>() == "You are welcome!");
        Assert.Equal(0, await OutboxAsync("failed"));
    }

    [Fact]
    public async Task A_flow_sends_a_template_at_any_time_but_its_free_form_message_outside_the_window_faults_to_people()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"template",
             "nodes":[{"id":"template","type":"SendTemplate","typeVersion":1,"inputs":{"name":"order_update","language":"en_US","parameters":["{{ contact.name }}","B-7"]}},
                      {"id":"thanks","type":"SendMessage","typeVersion":1,"inputs":{"text":"Anything else?"}}],
             "edges":[{"source":"template","sourcePort":"done","target":"thanks"}]}
            """)!, "Late answer");

        await CustomerAsync("wamid.LATE1", "Hello?", DateTimeOffset.UtcNow.AddHours(-30));

        var template = await SentAsync(m => m["type"]?.GetValue<string>() == "template");
        Assert.Equal(["Maria Lopez", "B-7"], template["template"]!["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        await WaitForAsync(async () => (await WhatsAppConversationAsync()).GetProperty("handOff").ValueKind == JsonValueKind.Object, "the hand-off");
        var conversation = await WhatsAppConversationAsync();
        var instance = await InstanceAsync(conversation.GetProperty("id").GetGuid());
        Assert.Equal("faulted", instance.GetProperty("status").GetString());
        Assert.Contains("24 hours", instance.GetProperty("incidents")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_graph.Sent, m => m["text"]?["body"]?.GetValue<string>() == "Anything else?");

        var messages = await (await Admin.GetAsync($"/api/v1/conversations/{conversation.GetProperty("id").GetGuid()}/messages")).ReadAsync<JsonElement>();
        Assert.Contains(messages.GetProperty("items").EnumerateArray(), m => m.GetProperty("text").GetString() == "Hi Maria Lopez, your order B-7 ships today.");
    }

    [Fact]
    public async Task A_customer_who_writes_stop_gets_no_marketing_template_while_a_utility_one_still_goes_out()
    {
        _graph.Templates.Add(Template("spring_promo", "en_US", "APPROVED", "Spring sale: {{1}} off!", "MARKETING"));
        await (await Admin.PutAsJsonAsync("/api/v1/privacy/settings", new { chatRequests = true })).ReadAsync<JsonElement>();
        await CustomerAsync("wamid.STOP1", "STOP!", DateTimeOffset.UtcNow);
        await SentAsync(m => m["text"]?["body"]?.GetValue<string>() == "You will not receive marketing messages from us any more.");

        var conversation = await WhatsAppConversationAsync();
        var id = conversation.GetProperty("id").GetGuid();
        var contactId = conversation.GetProperty("contactId").GetGuid();
        var consents = await (await Admin.GetAsync($"/api/v1/contacts/{contactId}/consents")).ReadAsync<JsonElement>();
        Assert.False(consents[0].GetProperty("granted").GetBoolean());
        Assert.Equal("chat: stop", consents[0].GetProperty("source").GetString());

        var promo = new { template = new { name = "spring_promo", language = "en_US", parameters = new[] { "20%" } } };
        var refused = await (await Admin.PostJsonAsync($"/api/v1/conversations/{id}/messages", promo)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("template.no_marketing_consent", refused.GetProperty("code").GetString());
        Assert.DoesNotContain(_graph.Sent, m => m["template"]?["name"]?.GetValue<string>() == "spring_promo");
        await (await Admin.PostJsonAsync($"/api/v1/conversations/{id}/messages",
            new { template = new { name = "order_update", language = "en_US", parameters = new[] { "Maria", "A-7" } } })).ReadAsync<JsonElement>(HttpStatusCode.Created);

        // Consent given again (recorded by an agent, with its basis): the promotion may go.
        await (await Admin.PostJsonAsync($"/api/v1/contacts/{contactId}/consents", new { granted = true, purpose = "marketing", legalBasis = "consent", source = "phone call" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync($"/api/v1/conversations/{id}/messages", promo)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await SentAsync(m => m["template"]?["name"]?.GetValue<string>() == "spring_promo");
    }

    private static JsonObject Template(string name, string language, string status, string body, string category = "UTILITY") => new()
    {
        ["name"] = name, ["language"] = language, ["status"] = status, ["category"] = category, ["id"] = "tpl-" + name,
        ["components"] = new JsonArray { new JsonObject { ["type"] = "BODY", ["text"] = body } },
    };

    private async Task CustomerAsync(string wamid, string text, DateTimeOffset sentAt)
    {
        var message = new { from = Maria, id = wamid, timestamp = sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), type = "text", text = new { body = text } };
        _graph.CustomerWrote(Maria, sentAt);
        var response = await PostSignedAsync(Host.CreateClient(), _connection, Body(Change(FakeWhatsAppGraphApi.DefaultPhoneNumberId, [message])));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.ProviderMessageId == wamid), what: "the customer's message " + wamid);
    }

    private async Task<JsonElement> WhatsAppConversationAsync()
    {
        var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "whatsapp");
    }

    private async Task<int> OutboxAsync(string status)
    {
        var page = await (await Admin.GetAsync($"/api/v1/channels/{_connection}/outbox?status={status}")).ReadAsync<JsonElement>();
        return page.GetProperty("items").GetArrayLength();
    }

    private async Task<JsonObject> SentAsync(Func<JsonObject, bool> match)
    {
        JsonObject? found = null;
        await WaitForAsync(() => Task.FromResult((found = _graph.Sent.LastOrDefault(match)) is not null), "a send to the Graph API");
        return found!;
    }
}
