using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.Workflows.Instances;
using OneInbox.Workflows.Runtime;
using static OneInbox.IntegrationTests.Flows.FlowApiTests;

namespace OneInbox.IntegrationTests.Flows;

/// <summary>
/// Instances are started and resumed by the executor as the inbox will (in a unit of work of the workspace);
/// what admins and auditors see of them is checked over HTTP.
/// </summary>
public class FlowInstanceTests(OneInboxApp app) : ApiTest(app)
{
    private async Task<(TestWorkspace Workspace, Guid FlowId)> PublishedGreeterAsync(string text)
    {
        var workspace = await App.CreateWorkspaceAsync();
        var flow = await (await workspace.Owner.Client.PostJsonAsync("/api/v1/flows", new { name = "Greeter", graph = FlowTestData.Greeting(text) })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var flowId = flow.GetProperty("id").GetGuid();
        await (await workspace.Owner.Client.PostAsync($"/api/v1/flows/{flowId}/publish", null)).ReadAsync<JsonElement>();
        return (workspace, flowId);
    }

    private Task<Guid> StartAsync(Guid workspaceId, Guid flowId, Guid conversationId, RecordingConversation conversation) =>
        App.InWorkspaceAsync(workspaceId, async services =>
        {
            var db = services.GetRequiredService<IOneInboxDb>();
            var flow = await db.Flows.SingleAsync(f => f.Id == flowId);
            var version = await db.FlowVersions.SingleAsync(v => v.FlowId == flowId && v.Version == flow.PublishedVersion);
            var (instance, _) = await services.GetRequiredService<FlowExecutor>().StartAsync(version, new FlowRunContext(conversation) { ConversationId = conversationId }, null, default);
            await db.SaveChangesAsync();
            return instance.Id;
        });

    private Task<bool> ReplyAsync(Guid workspaceId, Guid instanceId, string text, RecordingConversation conversation) =>
        App.InWorkspaceAsync(workspaceId, async services =>
        {
            var db = services.GetRequiredService<IOneInboxDb>();
            var instance = await db.FlowInstances.SingleAsync(i => i.Id == instanceId);
            var version = await db.FlowVersions.SingleAsync(v => v.Id == instance.FlowVersionId);
            var result = await services.GetRequiredService<FlowExecutor>().ResumeAsync(instance, version, new FlowRunContext(conversation), new MessageStimulus(text, null), default);
            await db.SaveChangesAsync();
            return result.Resumed;
        });

    [Fact]
    public async Task An_agent_sees_the_journal_of_their_own_conversations_only()
    {
        var (workspace, flowId) = await PublishedGreeterAsync("Hello {{ vars.name }}");
        var mine = await workspace.MemberAsync(WorkspaceRole.Agent);
        var colleague = await workspace.MemberAsync(WorkspaceRole.Agent);
        var (ownConversation, otherConversation) = await App.InWorkspaceAsync(workspace.Id, async services =>
        {
            var db = services.GetRequiredService<IOneInboxDb>();
            var connection = OneInbox.Domain.Channels.ChannelConnection.Create(OneInbox.Domain.Channels.ChannelType.Api, "Shop", "{}", "secret",
                OneInbox.Domain.Channels.ConnectionMode.Webhook, null, "https://shop.example/callback", TimeProvider.System);
            db.ChannelConnections.Add(connection);
            var contact = OneInbox.Domain.Contacts.Contact.Create("Ida", [], [], TimeProvider.System);
            db.Contacts.Add(contact);
            var own = OneInbox.Domain.Conversations.Conversation.Open(contact.Id, connection.Id, OneInbox.Domain.Channels.ChannelType.Api, "a", TimeProvider.System);
            var other = OneInbox.Domain.Conversations.Conversation.Open(contact.Id, connection.Id, OneInbox.Domain.Channels.ChannelType.Api, "b", TimeProvider.System);
            own.AssignTo(mine.UserId, null, TimeProvider.System);
            other.AssignTo(colleague.UserId, null, TimeProvider.System);
            db.Conversations.AddRange(own, other);
            await db.SaveChangesAsync();
            return (own.Id, other.Id);
        });
        var ownRun = await StartAsync(workspace.Id, flowId, ownConversation, new RecordingConversation());
        var otherRun = await StartAsync(workspace.Id, flowId, otherConversation, new RecordingConversation());

        Assert.Equal(HttpStatusCode.OK, (await mine.Client.GetAsync($"/api/v1/flow-instances/{ownRun}")).StatusCode);
        await (await mine.Client.GetAsync($"/api/v1/flow-instances/{otherRun}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var listed = await (await mine.Client.GetAsync("/api/v1/flow-instances")).ReadAsync<JsonElement>();
        Assert.Equal([ownRun], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var all = await (await workspace.Owner.Client.GetAsync("/api/v1/flow-instances")).ReadAsync<JsonElement>();
        Assert.Equal(2, all.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_new_version_does_not_disturb_an_instance_in_flight()
    {
        var (workspace, flowId) = await PublishedGreeterAsync("Hello from v1, {{ vars.name }}");
        var conversation = new RecordingConversation();
        var instanceId = await StartAsync(workspace.Id, flowId, Guid.NewGuid(), conversation);

        await workspace.Owner.Client.PutAsync($"/api/v1/flows/{flowId}/draft", JsonContent(new { graph = FlowTestData.Greeting("Hello from v2") }));
        await (await workspace.Owner.Client.PostAsync($"/api/v1/flows/{flowId}/publish", null)).ReadAsync<JsonElement>();
        Assert.True(await ReplyAsync(workspace.Id, instanceId, "Ada", conversation));

        Assert.Equal(["Your name?", "Hello from v1, Ada"], conversation.Sent);
        var detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        Assert.Equal((1, "completed"), (detail.GetProperty("version").GetInt32(), detail.GetProperty("status").GetString()));
        Assert.Equal("Hello from v1, {{ vars.name }}", detail.GetProperty("graph").GetProperty("nodes")[1].GetProperty("inputs").GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_instance_shows_its_path_variables_and_a_journal_that_explains_each_step()
    {
        var (workspace, flowId) = await PublishedGreeterAsync("Hi {{ vars.name }}");
        var conversation = new RecordingConversation();
        var conversationId = Guid.NewGuid();
        var instanceId = await StartAsync(workspace.Id, flowId, conversationId, conversation);

        var auditor = await workspace.ClientAsync(WorkspaceRole.Auditor);
        var waiting = await (await auditor.GetAsync($"/api/v1/flow-instances?flowId={flowId}&status=waiting")).ReadAsync<JsonElement>();
        var item = Assert.Single(waiting.GetProperty("items").EnumerateArray());
        Assert.Equal(("Greeter", "ask", conversationId), (item.GetProperty("flowName").GetString(), item.GetProperty("currentNodeId").GetString(), item.GetProperty("conversationId").GetGuid()));
        var flows = await (await auditor.GetAsync("/api/v1/flows")).ReadAsync<JsonElement>();
        Assert.Equal(1, flows.GetProperty("items")[0].GetProperty("runningInstances").GetInt32());

        await ReplyAsync(workspace.Id, instanceId, "Grace", conversation);
        var detail = await (await auditor.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();

        Assert.Equal(["ask", "greet"], detail.GetProperty("path").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Grace", detail.GetProperty("variables").GetProperty("name").GetString());
        var journal = detail.GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], journal.Select(j => j.GetProperty("sequence").GetInt32()));
        Assert.Equal("Grace", journal[1].GetProperty("inputs").GetProperty("answer").GetString());
        Assert.Equal("answered", journal[1].GetProperty("outcome").GetString());
        Assert.Equal(["Hi Grace"], journal[2].GetProperty("messagesSent").EnumerateArray().Select(m => m.GetString()));
        Assert.Empty((await (await auditor.GetAsync($"/api/v1/flow-instances?conversationId={Guid.NewGuid()}")).ReadAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        await (await auditor.GetAsync("/api/v1/flow-instances?status=sleeping")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_failing_flow_raises_an_incident_that_an_admin_can_retry_and_the_conversation_goes_to_people()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var graph = System.Text.Json.Nodes.JsonNode.Parse("""
            {"trigger":{"type":"Manual"},"variables":[{"name":"age","type":"number"}],"start":"n1",
             "nodes":[{"id":"n1","type":"SetVariable","typeVersion":1,"inputs":{"name":"age","value":"not a number"}}],"edges":[]}
            """);
        var flowId = (await (await workspace.Owner.Client.PostJsonAsync("/api/v1/flows", new { name = "Broken", graph })).ReadAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await workspace.Owner.Client.PostAsync($"/api/v1/flows/{flowId}/publish", null)).ReadAsync<JsonElement>();
        var conversation = new RecordingConversation();
        var instanceId = await StartAsync(workspace.Id, flowId, Guid.NewGuid(), conversation);

        Assert.Equal(FlowRuntime.FaultHandOffReason, conversation.HandOffReason);
        var detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        Assert.Equal("faulted", detail.GetProperty("status").GetString());
        var incident = Assert.Single(detail.GetProperty("incidents").EnumerateArray());
        Assert.Equal("n1", incident.GetProperty("nodeId").GetString());
        Assert.False(incident.GetProperty("resolved").GetBoolean());

        var auditor = await workspace.ClientAsync(WorkspaceRole.Auditor);
        var retryUrl = $"/api/v1/flow-instances/{instanceId}/incidents/{incident.GetProperty("id").GetGuid()}/retry";
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync(retryUrl, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await workspace.Owner.Client.PostAsync(retryUrl, null)).StatusCode);
        await (await workspace.Owner.Client.PostAsync(retryUrl, null)).AssertProblemAsync(HttpStatusCode.Conflict);

        detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        Assert.True(detail.GetProperty("incidents")[0].GetProperty("resolved").GetBoolean());
        var timers = await App.InWorkspaceAsync(workspace.Id, services => services.GetRequiredService<IOneInboxDb>().FlowTimers.CountAsync(t => t.InstanceId == instanceId));
        Assert.Equal(1, timers);
    }

    [Fact]
    public async Task Cancelling_an_instance_stops_it_for_good()
    {
        var (workspace, flowId) = await PublishedGreeterAsync("Hi");
        var conversation = new RecordingConversation();
        var instanceId = await StartAsync(workspace.Id, flowId, Guid.NewGuid(), conversation);

        Assert.Equal(HttpStatusCode.NoContent, (await workspace.Owner.Client.PostAsync($"/api/v1/flow-instances/{instanceId}/cancel", null)).StatusCode);
        await (await workspace.Owner.Client.PostAsync($"/api/v1/flow-instances/{instanceId}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        Assert.Equal("cancelled", detail.GetProperty("status").GetString());
        var other = await App.CreateWorkspaceAsync("Other");
        await (await other.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_writers_resuming_one_instance_at_once_never_both_commit()
    {
        var (workspace, flowId) = await PublishedGreeterAsync("Hi {{ vars.name }}");
        var instanceId = await StartAsync(workspace.Id, flowId, Guid.NewGuid(), new RecordingConversation());
        var first = new RecordingConversation();
        var second = new RecordingConversation();

        var attempts = await Task.WhenAll(
            Attempt(() => ReplyAsync(workspace.Id, instanceId, "Ada", first)),
            Attempt(() => ReplyAsync(workspace.Id, instanceId, "Bob", second)));

        Assert.Equal(1, attempts.Count(committed => committed));
        var detail = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{instanceId}")).ReadAsync<JsonElement>();
        var answers = detail.GetProperty("journal").EnumerateArray().Where(j => j.GetProperty("outcome").GetString() == "answered").ToList();
        Assert.Single(answers);
        var name = detail.GetProperty("variables").GetProperty("name").GetString();
        Assert.Equal($"Hi {name}", detail.GetProperty("journal").EnumerateArray().Last().GetProperty("messagesSent")[0].GetString());
    }

    /// <summary>The losing writer's unit of work fails whole: on the instance's concurrency token or the journal's unique sequence.</summary>
    private static async Task<bool> Attempt(Func<Task<bool>> resume)
    {
        try
        {
            return await resume();
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Journal_retention_removes_the_journal_of_finished_instances_only()
    {
        var (workspace, flowId) = await PublishedGreeterAsync("Hi");
        var finished = await StartAsync(workspace.Id, flowId, Guid.NewGuid(), new RecordingConversation());
        await ReplyAsync(workspace.Id, finished, "Ada", new RecordingConversation());
        var waiting = await StartAsync(workspace.Id, flowId, Guid.NewGuid(), new RecordingConversation());

        var deleted = await App.Services.GetRequiredService<FlowJournalRetention>().PurgeAsync(TimeSpan.Zero, default);

        Assert.Equal(3, deleted);
        var done = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{finished}")).ReadAsync<JsonElement>();
        var open = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances/{waiting}")).ReadAsync<JsonElement>();
        Assert.Equal(0, done.GetProperty("journal").GetArrayLength());
        Assert.Equal(1, open.GetProperty("journal").GetArrayLength());
    }

    [Fact]
    public async Task A_conversation_has_at_most_one_flow_in_progress()
    {
        var (workspace, flowId) = await PublishedGreeterAsync("Hi");
        var conversationId = Guid.NewGuid();
        var first = await StartAsync(workspace.Id, flowId, conversationId, new RecordingConversation());

        await Assert.ThrowsAsync<DbUpdateException>(() => StartAsync(workspace.Id, flowId, conversationId, new RecordingConversation()));

        await ReplyAsync(workspace.Id, first, "Ada", new RecordingConversation());
        await StartAsync(workspace.Id, flowId, conversationId, new RecordingConversation());
        var all = await (await workspace.Owner.Client.GetAsync($"/api/v1/flow-instances?conversationId={conversationId}")).ReadAsync<JsonElement>();
        Assert.Equal(["waiting", "completed"], all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetString()));
    }
}
