using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.Workflows.Instances;
using OneInbox.Workflows.Runtime;

namespace OneInbox.IntegrationTests.Flows;

public class FlowTimerTests(OneInboxApp app) : ApiTest(app)
{
    private sealed class Conversations(RecordingConversation conversation) : IFlowConversations
    {
        public ValueTask<FlowConversation> OpenAsync(Guid? conversationId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new FlowConversation(conversation, new Dictionary<string, object?>(), new Dictionary<string, object?>(), false));
    }

    /// <summary>Another server on the same database, as after a restart or beside this one.</summary>
    private WebApplicationFactory<Program> Node(RecordingConversation conversation) =>
        App.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IFlowConversations>(new Conversations(conversation))));

    [Fact]
    public async Task A_timer_set_before_a_restart_fires_once_on_whichever_node_claims_it()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var graph = JsonNode.Parse("""
            {"trigger":{"type":"Manual"},"variables":[],"start":"wait",
             "nodes":[{"id":"wait","type":"Delay","typeVersion":1,"inputs":{"duration":"2s"}},
                      {"id":"nudge","type":"SendMessage","typeVersion":1,"inputs":{"text":"Still there?"}}],
             "edges":[{"source":"wait","sourcePort":"done","target":"nudge"}]}
            """);
        var flowId = (await (await workspace.Owner.Client.PostJsonAsync("/api/v1/flows", new { name = "Nudge", graph })).ReadAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await workspace.Owner.Client.PostAsync($"/api/v1/flows/{flowId}/publish", null)).ReadAsync<JsonElement>();
        var conversation = new RecordingConversation();
        await using var nodeA = Node(conversation);
        await using var nodeB = Node(conversation);
        _ = nodeA.Server;
        _ = nodeB.Server;
        var instanceId = await App.InWorkspaceAsync(workspace.Id, async services =>
        {
            var db = services.GetRequiredService<IOneInboxDb>();
            var version = await db.FlowVersions.SingleAsync(v => v.FlowId == flowId);
            var (instance, _) = await services.GetRequiredService<FlowExecutor>().StartAsync(version, new FlowRunContext(new RecordingConversation()), null, default);
            await db.SaveChangesAsync();
            return instance.Id;
        });

        Assert.Equal(0, await nodeA.Services.GetRequiredService<FlowTimerProcessor>().RunDueAsync(10, default));
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var fired = await Task.WhenAll(
            nodeA.Services.GetRequiredService<FlowTimerProcessor>().RunDueAsync(10, default),
            nodeB.Services.GetRequiredService<FlowTimerProcessor>().RunDueAsync(10, default));

        Assert.Equal(1, fired.Sum());
        Assert.Equal(["Still there?"], conversation.Sent);
        Assert.Equal(0, await nodeA.Services.GetRequiredService<FlowTimerProcessor>().RunDueAsync(10, default));
        var detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        Assert.Equal("completed", detail.GetProperty("status").GetString());
        var journal = detail.GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal(["wait", "wait", "nudge"], journal.Select(j => j.GetProperty("nodeId").GetString()));
        Assert.Equal("done", journal[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_retried_incident_runs_the_failed_node_again_when_its_timer_fires()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var graph = JsonNode.Parse("""
            {"trigger":{"type":"Manual"},"variables":[],"start":"call",
             "nodes":[{"id":"call","type":"HttpRequest","typeVersion":1,"inputs":{"url":"https://api.example.com/x"}}],"edges":[]}
            """);
        var flowId = (await (await workspace.Owner.Client.PostJsonAsync("/api/v1/flows", new { name = "Call", graph })).ReadAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await workspace.Owner.Client.PostAsync($"/api/v1/flows/{flowId}/publish", null)).ReadAsync<JsonElement>();
        var instanceId = await App.InWorkspaceAsync(workspace.Id, async services =>
        {
            var db = services.GetRequiredService<IOneInboxDb>();
            var version = await db.FlowVersions.SingleAsync(v => v.FlowId == flowId);
            var (instance, _) = await services.GetRequiredService<FlowExecutor>().StartAsync(version, new FlowRunContext(new RecordingConversation()), null, default);
            await db.SaveChangesAsync();
            return instance.Id;
        });
        var detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        var incidentId = detail.GetProperty("incidents")[0].GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NoContent, (await workspace.Owner.Client.PostAsync($"/api/v1/flow-instances/{instanceId}/incidents/{incidentId}/retry", null)).StatusCode);
        // Still no outbound HTTP on this node, so the retried node fails again the same way.
        await using var node = Node(new RecordingConversation()).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.RemoveAll<IOutboundHttp>()));
        Assert.Equal(1, await node.Services.GetRequiredService<FlowTimerProcessor>().RunDueAsync(10, default));

        detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        Assert.Equal(["call", "call"], detail.GetProperty("journal").EnumerateArray().Select(j => j.GetProperty("nodeId").GetString()));
        Assert.Equal(2, detail.GetProperty("incidents").GetArrayLength());
    }
}
