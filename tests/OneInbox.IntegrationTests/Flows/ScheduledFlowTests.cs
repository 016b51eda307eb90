using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Flows;

/// <summary>Published schedule triggers start their flow on open conversations when the cron falls due.</summary>
public class ScheduledFlowTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string Survey = "Hi Maria, how would you rate our help today?";

    private static JsonNode EverySecondSurvey() => JsonNode.Parse("""
        {"trigger":{"type":"Schedule","inputs":{"cron":"* * * * * *","timeZone":"Europe/Berlin"}},"variables":[{"name":"rating","type":"text"}],"start":"ask",
         "nodes":[{"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Hi {{ contact.name }}, how would you rate our help today?","variable":"rating"},"position":{"x":0,"y":0}}],
         "edges":[]}
        """)!;

    [Fact]
    public async Task A_due_schedule_starts_its_flow_once_on_an_open_conversation_even_with_a_second_node_polling()
    {
        await WriteAsync(8001, "hello");
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "Maria's message");
        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();
        await using var secondNode = StartHost(RunFlowWorkers);
        _ = secondNode.Services;

        await PublishAsync(EverySecondSurvey(), "Satisfaction survey");

        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Survey);
        await Task.Delay(2500);
        Assert.Equal(1, SentToMaria());
        var instance = await InstanceAsync(conversationId);
        Assert.Equal("waiting", instance.GetProperty("status").GetString());

        await WriteAsync(8002, "Excellent");
        await WaitForAsync(async () => (await InstanceAsync(conversationId)).GetProperty("status").GetString() == "completed", "the answer");
    }

    [Fact]
    public async Task A_schedule_never_starts_on_resolved_or_handed_off_conversations()
    {
        await WriteAsync(8101, "hello");
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "Maria's message");
        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();
        await (await Admin.PutAsJsonAsync($"/api/v1/conversations/{conversationId}/status", new { status = "resolved" }, JsonSerializerOptions.Web)).ReadAsync<JsonElement>();

        await PublishAsync(EverySecondSurvey(), "Satisfaction survey");
        await Task.Delay(3000);

        Assert.Equal(0, SentToMaria());
        var page = await (await Admin.GetAsync($"/api/v1/flow-instances?conversationId={conversationId}")).ReadAsync<JsonElement>();
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }
}
