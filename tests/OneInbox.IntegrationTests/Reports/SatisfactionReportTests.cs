using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Reports;

/// <summary>
/// A flow on the ConversationResolved trigger asks Telegram customers for a rating: the question and the answers leave
/// the conversation resolved, the rating is reported per agent and per flow, and an answer that is no rating opens the
/// conversation again for people.
/// </summary>
public sealed class SatisfactionReportTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string Question = "How would you rate the help you got? 1 = poor, 5 = excellent.";

    [Fact]
    public async Task A_customer_rates_a_resolved_conversation_without_reopening_it_and_the_reports_count_the_rating()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"ConversationResolved","inputs":{}},"variables":[],"start":"rate",
             "nodes":[{"id":"rate","type":"AskRating","typeVersion":1,"inputs":{"comment":"Thanks! Anything we could do better?"}},
                      {"id":"bye","type":"SendMessage","typeVersion":1,"inputs":{"text":"Thank you for your feedback."}}],
             "edges":[{"source":"rate","sourcePort":"rated","target":"bye"}]}
            """)!, "Satisfaction");
        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);

        await WriteAsync(3001, "My parcel is late");
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"Conversations\" WHERE \"WorkspaceId\" = '{Workspace.Id}'") == 1, "the conversation");
        var conversation = (await ConversationAsync()).GetProperty("id").GetGuid();
        async Task<JsonElement> Current() => await (await Admin.GetAsync($"/api/v1/conversations/{conversation}")).ReadAsync<JsonElement>();
        (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{conversation}/assignee", new { userId = agent.UserId })).EnsureSuccessStatusCode();
        (await agent.Client.PostJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "It arrives tomorrow." })).EnsureSuccessStatusCode();
        (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{conversation}/status", new { status = "resolved" })).EnsureSuccessStatusCode();

        var asked = await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Question);
        Assert.Equal(["rating-1", "rating-2", "rating-3", "rating-4", "rating-5"],
            asked.Parameters["reply_markup"]!["inline_keyboard"]!.AsArray().SelectMany(row => row!.AsArray()).Select(b => b!["callback_data"]!.GetValue<string>()));
        Assert.Equal("resolved", (await Current()).GetProperty("status").GetString());

        await PressAsync("rating-4");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Thanks! Anything we could do better?");
        await WriteAsync(3003, "Quick and kind, thank you");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Thank you for your feedback.");
        var rated = await Current();
        Assert.Equal((conversation, "resolved", 4), (rated.GetProperty("id").GetGuid(), rated.GetProperty("status").GetString(), rated.GetProperty("rating").GetInt32()));
        var messages = await (await Admin.GetAsync($"/api/v1/conversations/{conversation}/messages?limit=100")).ReadAsync<JsonElement>();
        Assert.Contains(messages.GetProperty("items").EnumerateArray(), m => m.GetProperty("text").GetString() == "Quick and kind, thank you");

        var report = await (await Admin.GetAsync("/api/v1/reports/conversations")).ReadAsync<JsonElement>();
        var satisfaction = report.GetProperty("satisfaction");
        Assert.Equal((1, 4d, 1d), (satisfaction.GetProperty("rated").GetInt32(), satisfaction.GetProperty("average").GetDouble(), satisfaction.GetProperty("csat").GetDouble()));
        Assert.Equal(0, report.GetProperty("totals").GetProperty("reopened").GetInt32());
        var agents = await (await Admin.GetAsync("/api/v1/reports/agents")).ReadAsync<JsonElement>();
        var row = agents.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == agent.UserId.ToString());
        Assert.Equal(4d, row.GetProperty("satisfaction").GetProperty("average").GetDouble());
        var automation = await (await Admin.GetAsync("/api/v1/reports/automation")).ReadAsync<JsonElement>();
        Assert.Equal(1, Assert.Single(automation.GetProperty("flows").EnumerateArray()).GetProperty("satisfaction").GetProperty("rated").GetInt32());

        // Resolved again, asked again: this time the customer writes about something else, which people must see.
        (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{conversation}/status", new { status = "open" })).EnsureSuccessStatusCode();
        (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{conversation}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        await WaitForAsync(() => Task.FromResult(Telegram.CallsTo("sendMessage").Count(c => c.Text("text") == Question) == 2), "the second rating question");
        await WriteAsync(3005, "Actually the parcel is damaged");
        await WaitForAsync(async () => (await Current()).GetProperty("status").GetString() == "open", "the conversation opening again");
        var reopened = await Current();
        Assert.Equal(conversation, reopened.GetProperty("id").GetGuid());
        Assert.True(reopened.TryGetProperty("waitingSince", out var waiting) && waiting.ValueKind == JsonValueKind.String);
        Assert.Equal(4, reopened.GetProperty("rating").GetInt32());
    }
}
