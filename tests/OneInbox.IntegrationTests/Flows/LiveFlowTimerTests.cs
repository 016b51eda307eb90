using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Flows;

/// <summary>
/// A question's timeout falls due while the server is down: after the restart (two servers, in fact, on the
/// same database) the timer fires once and the flow's follow-up reaches the customer once.
/// </summary>
public class LiveFlowTimerTests(OneInboxApp app) : LiveFlowTest(app)
{
    private const string Prompt = "Which order is it about?";
    private const string FollowUp = "No answer yet, so a person will follow up.";

    // The first server handles the message but fires no timers, so the timeout can only fire after the restart.
    protected override void ConfigureHost(IWebHostBuilder host)
    {
    }

    [Fact]
    public async Task A_question_timeout_that_fell_due_during_a_restart_fires_once_after_it()
    {
        await PublishAsync(JsonNode.Parse($$$"""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[{"name":"order","type":"text"}],"start":"ask",
             "nodes":[{"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"{{{Prompt}}}","variable":"order","timeout":"2s"}},
                      {"id":"later","type":"SendMessage","typeVersion":1,"inputs":{"text":"{{{FollowUp}}}"}}],
             "edges":[{"source":"ask","sourcePort":"timeout","target":"later"}]}
            """)!, "Order question");
        await WriteAsync(7001, "Hi, about my order");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == Prompt);
        var conversationId = (await ConversationAsync()).GetProperty("id").GetGuid();

        await Host.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"FlowTimers\" WHERE \"FiredAt\" IS NOT NULL"));
        Host = StartHost(RunFlowWorkers);
        await using var secondNode = StartHost(RunFlowWorkers);
        _ = Host.Server;
        _ = secondNode.Server;
        Admin = ClientFor(Workspace.Owner.Token.AccessToken);

        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == FollowUp);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Single(Telegram.CallsTo("sendMessage"), c => c.Text("text") == FollowUp);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM \"FlowTimers\" WHERE \"FiredAt\" IS NOT NULL"));
        var instance = await InstanceAsync(conversationId);
        Assert.Equal("completed", instance.GetProperty("status").GetString());
        var journal = instance.GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal(["ask", "ask", "later"], journal.Select(j => j.GetProperty("nodeId").GetString()));
        Assert.Equal("timeout", journal[1].GetProperty("outcome").GetString());
        Assert.Equal([FollowUp], journal[2].GetProperty("messagesSent").EnumerateArray().Select(m => m.GetString()));
    }
}
