using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class TeamAndCannedResponseTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task An_admin_makes_a_team_and_an_agent_queues_a_conversation_for_it()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        var team = await (await workspace.Owner.Client.PostJsonAsync("/api/v1/teams", new { name = "Billing", memberIds = new[] { agent.UserId } }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var teamId = team.GetProperty("id").GetGuid();
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1", "Invoice question");

        var queued = await (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/team", new { teamId }))
            .ReadAsync<ConversationView>();

        Assert.Equal(teamId, queued.TeamId);
        var listed = await (await agent.Client.GetAsync($"/api/v1/conversations?teamId={teamId}")).ReadAsync<Page<ConversationView>>();
        Assert.Equal(received.ConversationId, Assert.Single(listed.Items).Id);
    }

    [Fact]
    public async Task A_team_takes_only_members_of_the_workspace()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var outsider = await (await App.CreateWorkspaceAsync("Globex")).MemberAsync(WorkspaceRole.Agent);

        var response = await workspace.Owner.Client.PostJsonAsync("/api/v1/teams", new { name = "Billing", memberIds = new[] { outsider.UserId } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("memberIds", out _));
        Assert.Equal(0L, await App.CountAsync("Teams"));
    }

    [Fact]
    public async Task An_agent_cannot_manage_teams()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);

        var response = await agent.PostJsonAsync("/api/v1/teams", new { name = "Billing" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_canned_response_is_filled_in_for_the_conversation()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1", "Where is my parcel?", name: "Ann");
        var created = await (await agent.PostJsonAsync("/api/v1/canned-responses",
                new { shortCode = "Shipping", text = "Hi {{ contact.name }}, your parcel ships today.{% if contact.company %} ({{ contact.company }}){% endif %}" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("shipping", created.GetProperty("shortCode").GetString());

        var rendered = await (await agent.PostJsonAsync($"/api/v1/canned-responses/{created.GetProperty("id").GetGuid()}/render",
            new { conversationId = received.ConversationId })).ReadAsync<JsonElement>();

        Assert.Equal("Hi Ann, your parcel ships today.", rendered.GetProperty("text").GetString());
        var listed = await (await agent.GetAsync("/api/v1/canned-responses?prefix=/ship")).ReadAsync<List<JsonElement>>();
        Assert.Single(listed);
    }

    [Fact]
    public async Task A_template_that_does_not_parse_gets_a_field_error()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);

        var response = await agent.PostJsonAsync("/api/v1/canned-responses", new { shortCode = "broken", text = "Hi {{ contact.name " });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("text", out _));
        Assert.Equal(0L, await App.CountAsync("CannedResponses"));
    }

    [Fact]
    public async Task A_short_code_is_used_once_per_workspace()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        await agent.PostJsonAsync("/api/v1/canned-responses", new { shortCode = "hello", text = "Hello!" });

        var response = await agent.PostJsonAsync("/api/v1/canned-responses", new { shortCode = "HELLO", text = "Hi!" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }
}
