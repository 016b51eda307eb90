using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Identity;

public class AccessControlTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task An_auditor_reads_but_cannot_change_anything()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var auditor = await workspace.ClientAsync(WorkspaceRole.Auditor);

        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/v1/contacts")).StatusCode);
        await (await auditor.PostJsonAsync("/api/v1/contacts", new { displayName = "Ann" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PostJsonAsync("/api/v1/invitations", new { email = "x@example.test", role = "agent" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/v1/audit-events")).StatusCode);
    }

    [Fact]
    public async Task An_agent_works_contacts_but_cannot_manage_the_workspace()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);

        Assert.Equal(HttpStatusCode.Created, (await agent.PostJsonAsync("/api/v1/contacts", new { displayName = "Ann" })).StatusCode);
        await (await agent.PostJsonAsync("/api/v1/integration-clients", new { name = "x", role = "agent" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.GetAsync("/api/v1/audit-events")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.PatchAsJsonAsync("/api/v1/workspace", new { name = "Mine now" }, JsonSerializerOptions.Web)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Only_an_owner_can_make_an_owner_and_the_last_owner_stays()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = await workspace.MemberAsync(WorkspaceRole.Admin);
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);

        var byAdmin = await admin.Client.PatchAsJsonAsync($"/api/v1/members/{agent.UserId}", new { role = "owner" }, JsonSerializerOptions.Web);
        var lastOwner = await workspace.Owner.Client.PatchAsJsonAsync($"/api/v1/members/{workspace.Owner.UserId}", new { role = "admin" }, JsonSerializerOptions.Web);
        var byOwner = await workspace.Owner.Client.PatchAsJsonAsync($"/api/v1/members/{agent.UserId}", new { role = "owner" }, JsonSerializerOptions.Web);

        await byAdmin.AssertProblemAsync(HttpStatusCode.Conflict);
        await lastOwner.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
    }

    [Fact]
    public async Task Fields_a_client_may_not_set_are_refused_and_change_nothing()
    {
        var acme = await App.CreateWorkspaceAsync("Acme");
        var globex = await App.CreateWorkspaceAsync("Globex");
        var admin = await acme.MemberAsync(WorkspaceRole.Agent);

        foreach (var field in new[] { "workspaceId", "id", "ownerId", "role" })
        {
            var body = new Dictionary<string, object> { ["displayName"] = "Mallory", [field] = field == "role" ? "owner" : globex.Id };
            await (await admin.Client.PostJsonAsync("/api/v1/contacts", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        }
        var renamed = await acme.Owner.Client.PatchAsJsonAsync("/api/v1/workspace", new Dictionary<string, object> { ["name"] = "Acme 2", ["id"] = globex.Id }, JsonSerializerOptions.Web);
        await renamed.AssertProblemAsync(HttpStatusCode.BadRequest);

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        Assert.Equal(0, await db.Contacts.IgnoreQueryFilters().CountAsync());
        Assert.Equal(["Acme", "Globex"], await db.Workspaces.OrderBy(w => w.Name).Select(w => w.Name).ToListAsync());
        Assert.Equal(WorkspaceRole.Agent, (await db.Members.IgnoreQueryFilters().SingleAsync(m => m.UserId == admin.UserId)).Role);
    }

    [Fact]
    public async Task An_invited_person_joins_with_the_invited_role_once()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var invitation = await (await workspace.Owner.Client.PostJsonAsync("/api/v1/invitations", new { email = "new.agent@example.test", role = "agent" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var token = invitation.GetProperty("token").GetString()!;

        var accepted = await App.CreateClient().PostJsonAsync("/api/v1/invitations/accept", new { token, password = "my own passphrase", displayName = "New Agent", confirmAdult = true });
        var again = await App.CreateClient().PostJsonAsync("/api/v1/invitations/accept", new { token, password = "my own passphrase", confirmAdult = true });
        var signIn = await App.PasswordGrantAsync("new.agent@example.test", "my own passphrase");
        var me = await (await App.WithToken(signIn.AccessToken).GetAsync("/api/v1/me")).ReadAsync<JsonElement>();
        var listed = await (await workspace.Owner.Client.GetAsync("/api/v1/invitations")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await again.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("agent", me.GetProperty("activeWorkspace").GetProperty("role").GetString());
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_with_a_weak_password_gets_a_field_error()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var invitation = await (await workspace.Owner.Client.PostJsonAsync("/api/v1/invitations", new { email = "weak@example.test", role = "agent" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);

        var response = await App.CreateClient().PostJsonAsync("/api/v1/invitations/accept", new { token = invitation.GetProperty("token").GetString(), password = "short", confirmAdult = true });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);

        for (var i = 0; i < 5; i++)
            await App.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm(agent.Email, "wrong password " + i));
        var right = await App.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm(agent.Email, TestWorkspace.Password));

        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sign_ins_and_membership_changes_are_in_the_audit_log_without_secrets()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        await App.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm(agent.Email, "wrong password"));
        await workspace.Owner.Client.PatchAsJsonAsync($"/api/v1/members/{agent.UserId}", new { role = "auditor" }, JsonSerializerOptions.Web);
        var client = await (await workspace.Owner.Client.PostJsonAsync("/api/v1/integration-clients", new { name = "Sync", role = "agent" })).ReadAsync<JsonElement>(HttpStatusCode.Created);

        var log = await (await workspace.Owner.Client.GetAsync("/api/v1/audit-events?limit=200")).Content.ReadAsStringAsync();
        var actions = JsonDocument.Parse(log).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();

        Assert.Contains("signin.succeeded", actions);
        Assert.Contains("member.role_changed", actions);
        Assert.Contains("client.created", actions);
        Assert.DoesNotContain(TestWorkspace.Password, log, StringComparison.Ordinal);
        Assert.DoesNotContain(client.GetProperty("clientSecret").GetString()!, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_admin_creates_workspaces_and_nobody_else_can()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var email = $"platform-{Guid.NewGuid():N}@example.test";
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<OneInbox.Application.Identity.IUserAccounts>();
            await accounts.CreateAsync(email, TestWorkspace.Password, "Platform", platformAdmin: true, "password", CancellationToken.None);
        }
        var platform = App.WithToken((await App.PasswordGrantAsync(email, TestWorkspace.Password)).AccessToken);

        var created = await platform.PostJsonAsync("/api/v1/workspaces", new { name = "Initech", ownerEmail = workspace.Owner.Email });
        var byOwner = await workspace.Owner.Client.PostJsonAsync("/api/v1/workspaces", new { name = "Sneaky" });
        var signup = await App.CreateClient().PostJsonAsync("/api/v1/signup", new { email = "x@example.test", password = "long enough pass", displayName = "X", workspaceName = "X", confirmAdult = true });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await byOwner.AssertProblemAsync(HttpStatusCode.Forbidden);
        await signup.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
