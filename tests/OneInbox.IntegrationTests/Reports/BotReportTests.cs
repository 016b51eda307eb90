using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Reports;

/// <summary>A flow answers a new customer in the unit of work that opened the conversation: its reply is the first response.</summary>
public sealed class BotReportTests(OneInboxApp app) : LiveFlowTest(app)
{
    [Fact]
    public async Task A_bots_answer_in_the_same_unit_of_work_is_measured_as_the_first_response()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"hello",
             "nodes":[{"id":"hello","type":"SendMessage","typeVersion":1,"inputs":{"text":"Hello! How can we help?"}}],"edges":[]}
            """)!, "Greeter");
        var update = NextUpdateId();
        (await PostUpdateAsync(TelegramConnection.Connection.Id, $$"""
            { "update_id": {{update}}, "message": { "message_id": {{update}}, "from": { "id": {{ChatId}}, "is_bot": false, "first_name": "Maria" },
              "chat": { "id": {{ChatId}}, "type": "private" }, "date": 1767225600, "text": "hi" } }
            """, TelegramConnection.InboundSecret)).EnsureSuccessStatusCode();
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Hello! How can we help?");

        var report = await (await Admin.GetAsync("/api/v1/reports/conversations")).ReadAsync<JsonElement>();
        var totals = report.GetProperty("totals");
        Assert.Equal((1, 1, 1), (totals.GetProperty("opened").GetInt32(), totals.GetProperty("messagesIn").GetInt32(), totals.GetProperty("messagesOut").GetInt32()));
        Assert.Equal(1, report.GetProperty("firstResponse").GetProperty("count").GetInt32());
        Assert.Equal(0, report.GetProperty("waitingNow").GetInt32());
    }
}
