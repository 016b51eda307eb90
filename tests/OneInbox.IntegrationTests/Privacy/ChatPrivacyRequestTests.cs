using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Domain.Privacy;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Privacy;

/// <summary>
/// Customers exercise their rights in the chat, over the Telegram webhook and the fake Bot API: the phrase comes before
/// any flow, a button confirms, the case opens with its due date, and the erasure's confirmation reaches them.
/// </summary>
public class ChatPrivacyRequestTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string BotAnswer = "The bot answers every message.";

    [Fact]
    public async Task A_customer_writes_delete_my_data_confirms_with_the_button_and_after_completion_gets_the_confirmation()
    {
        await PublishAsync(JsonNode.Parse($$$"""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"hi",
             "nodes":[{"id":"hi","type":"SendMessage","typeVersion":1,"inputs":{"text":"{{{BotAnswer}}}"}}],"edges":[]}
            """)!, "Answers all");
        await (await Admin.PutAsJsonAsync("/api/v1/privacy/settings", new { chatRequests = true, responseDays = 14 })).ReadAsync<JsonElement>();

        await WriteAsync(7001, "Hello");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == BotAnswer);
        await WriteAsync(7002, "Please delete my data.");
        var question = await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text")!.StartsWith("Do you want us to delete all the data", StringComparison.Ordinal));
        var buttons = question.Parameters["reply_markup"]!["inline_keyboard"]!.AsArray().SelectMany(row => row!.AsArray()).Select(b => b!["callback_data"]!.GetValue<string>());
        Assert.Equal(["privacy:erasure:yes", "privacy:erasure:no"], buttons);
        Assert.Equal(1, Telegram.CallsTo("sendMessage").Count(c => c.Text("text") == BotAnswer));

        await PressAsync("privacy:erasure:yes");
        var told = await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text")!.StartsWith("Your request is registered", StringComparison.Ordinal));
        var requests = await (await Admin.GetAsync("/api/v1/privacy/requests")).ReadAsync<JsonElement>();
        var request = Assert.Single(requests.EnumerateArray());
        Assert.Equal(("erasure", "chat", "received"), (request.GetProperty("type").GetString(), request.GetProperty("channel").GetString(), request.GetProperty("status").GetString()));
        var due = request.GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(14), due - request.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Contains(due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), told.Text("text"), StringComparison.Ordinal);
        var contactId = (await ConversationAsync()).GetProperty("contactId").GetGuid();
        Assert.Equal(contactId, request.GetProperty("contactId").GetGuid());

        // Pressing again finds the open case rather than opening a second.
        await PressAsync("privacy:erasure:yes");
        await WaitForAsync(() => Task.FromResult(Telegram.CallsTo("sendMessage").Count(c => c.Text("text")!.StartsWith("Your request is registered", StringComparison.Ordinal)) == 2), "the second answer");
        Assert.Single((await (await Admin.GetAsync("/api/v1/privacy/requests")).ReadAsync<JsonElement>()).EnumerateArray());

        await (await Admin.PostJsonAsync($"/api/v1/privacy/requests/{request.GetProperty("id").GetGuid()}/complete", new { })).ReadAsync<JsonElement>();
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == PrivacySettings.DefaultErasureConfirmation);
        await (await Admin.GetAsync($"/api/v1/contacts/{contactId}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_the_setting_the_phrase_is_an_ordinary_message_and_no_cancels_a_request()
    {
        await WriteAsync(7101, "export my data");
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "export my data"), what: "the message");
        await Task.Delay(300);
        Assert.DoesNotContain(Telegram.CallsTo("sendMessage"), c => c.Text("text")!.StartsWith("Do you want", StringComparison.Ordinal));

        await (await Admin.PutAsJsonAsync("/api/v1/privacy/settings", new { chatRequests = true, accessPhrases = new[] { "my data please" } })).ReadAsync<JsonElement>();
        await WriteAsync(7102, "export my data");
        await WriteAsync(7103, "Could I have my data please?");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Do you want a copy of the data we hold about you?");
        Assert.Single(Telegram.CallsTo("sendMessage"), c => c.Text("text")!.StartsWith("Do you want", StringComparison.Ordinal));
        await PressAsync("privacy:access:no");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "All right, nothing was changed.");
        Assert.Empty((await (await Admin.GetAsync("/api/v1/privacy/requests")).ReadAsync<JsonElement>()).EnumerateArray());

        await (await Admin.PutAsJsonAsync("/api/v1/privacy/settings", new { stopPhrases = Array.Empty<string>() })).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_flows_privacy_request_step_asks_and_opens_an_access_request_on_yes()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"ask",
             "nodes":[{"id":"ask","type":"PrivacyRequest","typeVersion":1,"inputs":{"type":"access","question":"Shall we send you a copy of your data, {{ contact.name }}?"}},
                      {"id":"done","type":"SendMessage","typeVersion":1,"inputs":{"text":"We are on it."}}],
             "edges":[{"source":"ask","sourcePort":"requested","target":"done"}]}
            """)!, "Access");

        await WriteAsync(7201, "hi");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Shall we send you a copy of your data, Maria?");
        await PressAsync("privacy-yes");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "We are on it.");
        var request = Assert.Single((await (await Admin.GetAsync("/api/v1/privacy/requests")).ReadAsync<JsonElement>()).EnumerateArray());
        Assert.Equal(("access", "chat"), (request.GetProperty("type").GetString(), request.GetProperty("channel").GetString()));
        var journal = (await InstanceAsync((await ConversationAsync()).GetProperty("id").GetGuid())).GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal("requested", journal.Single(j => j.GetProperty("nodeId").GetString() == "ask" && j.GetProperty("outcome").ValueKind == JsonValueKind.String).GetProperty("outcome").GetString());
    }
}
