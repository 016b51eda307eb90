using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Inbox;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Identity;

/// <summary>
/// Age and policy acceptance (privacy policy §9 and §11) and a member deleting their own account, over HTTP. The shared
/// server has no SMTP host, so its confirmation mails are the .eml files it keeps in its data folder.
/// </summary>
public sealed partial class AccountLifecycleTests(OneInboxApp app) : ApiTest(app)
{
    private const string CurrentVersion = "2026-02-12";

    [Fact]
    public async Task Sign_up_and_invitations_need_a_confirmed_adult_and_record_the_policy_version_accepted()
    {
        await using var open = App.WithWebHostBuilder(h => h.UseSetting("OneInbox:Identity:AllowSelfSignup", "true"));
        var http = open.CreateClient();
        var email = $"founder-{Guid.NewGuid():N}@example.test";
        var minor = await http.PostAsJsonAsync("/api/v1/signup", new { email, password = TestWorkspace.Password, displayName = "Fin", workspaceName = "Fin's shop" });
        var problem = await minor.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("18 or older", problem.GetProperty("errors").GetProperty("confirmAdult")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await App.ScalarAsync<long>($"SELECT count(*) FROM \"AspNetUsers\" WHERE \"Email\" = '{email}'"));

        var created = await http.PostAsJsonAsync("/api/v1/signup", new { email, password = TestWorkspace.Password, displayName = "Fin", workspaceName = "Fin's shop", confirmAdult = true });
        var workspaceId = (await created.ReadAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var founder = App.WithToken((await App.PasswordGrantAsync(email, TestWorkspace.Password, workspaceId)).AccessToken);
        var me = await (await founder.GetAsync("/api/v1/me")).ReadAsync<JsonElement>();
        Assert.NotEqual(JsonValueKind.Null, me.GetProperty("adultConfirmedAt").ValueKind);
        Assert.Equal(CurrentVersion, me.GetProperty("policy").GetProperty("acceptedVersion").GetString());
        Assert.False(me.GetProperty("policy").GetProperty("mustAccept").GetBoolean());

        // An invited person confirms it too, on accepting.
        var invitation = await (await founder.PostJsonAsync("/api/v1/invitations", new { email = "new.agent@example.test", role = "agent" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var token = invitation.GetProperty("token").GetString();
        var unconfirmed = await App.CreateClient().PostJsonAsync("/api/v1/invitations/accept", new { token, password = "my own passphrase" });
        Assert.True((await unconfirmed.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("confirmAdult", out _));
        (await App.CreateClient().PostJsonAsync("/api/v1/invitations/accept", new { token, password = "my own passphrase", confirmAdult = true })).EnsureSuccessStatusCode();
        var agent = App.WithToken((await App.PasswordGrantAsync("new.agent@example.test", "my own passphrase", workspaceId)).AccessToken);
        var agentMe = await (await agent.GetAsync("/api/v1/me")).ReadAsync<JsonElement>();
        Assert.NotEqual(JsonValueKind.Null, agentMe.GetProperty("adultConfirmedAt").ValueKind);
        Assert.Equal(CurrentVersion, agentMe.GetProperty("policy").GetProperty("acceptedVersion").GetString());
    }

    [Fact]
    public async Task A_changed_policy_is_asked_for_at_the_next_Studio_sign_in_showing_what_changed_and_the_acceptance_is_recorded()
    {
        var workspace = await App.CreateWorkspaceAsync();
        await App.ExecuteAsync($"UPDATE \"AspNetUsers\" SET \"AcceptedPolicyVersion\" = '2025-06-01' WHERE \"Id\" = '{workspace.Owner.UserId}'");

        var me = await (await workspace.Owner.Client.GetAsync("/api/v1/me")).ReadAsync<JsonElement>();
        var policy = me.GetProperty("policy");
        Assert.True(policy.GetProperty("mustAccept").GetBoolean());
        Assert.Equal(CurrentVersion, policy.GetProperty("currentVersion").GetString());
        Assert.Equal(CurrentVersion, policy.GetProperty("changes")[0].GetProperty("version").GetString());
        await (await workspace.Owner.Client.PostJsonAsync("/api/v1/me/policy-acceptance", new { version = "2025-06-01" })).AssertProblemAsync(HttpStatusCode.Conflict);

        // The Studio's sign-in: after the password, the policy page comes before any token.
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = "/connect/authorize?response_type=code&client_id=oneinbox-studio&redirect_uri=" + Uri.EscapeDataString("http://localhost/studio/callback")
            + "&scope=" + Uri.EscapeDataString("openid offline_access api") + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=abc";
        var loginPage = await (await browser.GetAsync((await browser.GetAsync(authorize)).Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        var signedIn = await browser.PostAsync("/account/login", Form(loginPage, new() { ["email"] = workspace.Owner.Email, ["password"] = TestWorkspace.Password }));
        var toPolicy = await browser.GetAsync(signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, toPolicy.StatusCode);
        Assert.StartsWith("/account/policy", toPolicy.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var policyPage = await (await browser.GetAsync(toPolicy.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Assert.Contains($"Privacy policy, version {CurrentVersion}", policyPage, StringComparison.Ordinal);
        Assert.Contains("changed since you accepted version 2025-06-01", policyPage, StringComparison.Ordinal);
        Assert.Contains("First published version", policyPage, StringComparison.Ordinal);
        var unticked = await browser.PostAsync("/account/policy", Form(policyPage, new() { ["version"] = CurrentVersion }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unticked.StatusCode);
        var accepted = await browser.PostAsync("/account/policy", Form(policyPage, new() { ["version"] = CurrentVersion, ["accept"] = "yes" }));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var toCallback = await browser.GetAsync(accepted.Headers.Location!.OriginalString);
        Assert.StartsWith("http://localhost/studio/callback", toCallback.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var after = (await (await workspace.Owner.Client.GetAsync("/api/v1/me")).ReadAsync<JsonElement>()).GetProperty("policy");
        Assert.False(after.GetProperty("mustAccept").GetBoolean());
        Assert.Equal(CurrentVersion, after.GetProperty("acceptedVersion").GetString());
        Assert.True(after.GetProperty("acceptedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        var audit = await (await workspace.Owner.Client.GetAsync("/api/v1/audit-events?action=policy.accepted")).ReadAsync<JsonElement>();
        Assert.Single(audit.GetProperty("items").EnumerateArray());

        // The public page says which version is in force.
        var page = await (await App.CreateClient().GetAsync("/privacy")).Content.ReadAsStringAsync();
        Assert.Contains($"Version {CurrentVersion}, in force since 12 February 2026", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_deletes_their_account_their_words_stay_as_a_former_members_and_a_sole_owner_is_warned_first()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent, $"leaving-{Guid.NewGuid():N}@example.test");
        var received = await new Channel(App, workspace.Id).ReceiveAsync("4242", "Hello, anyone there?");
        (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/assignee", new { userId = agent.UserId })).EnsureSuccessStatusCode();
        var reply = await (await agent.Client.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages", new { text = "Yes, I am here" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var replyId = reply.GetProperty("message").GetProperty("id").GetGuid();

        await (await Delete(agent.Client, new { password = "not my password" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var deleted = await (await Delete(agent.Client, new { password = agent.Password })).ReadAsync<JsonElement>();
        Assert.Empty(deleted.GetProperty("closedWorkspaces").EnumerateArray());

        // Gone: the account, its memberships, its name and email; the token and the password stop working.
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.False((await App.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm(agent.Email, agent.Password))).IsSuccessStatusCode);
        Assert.Equal(0, await App.ScalarAsync<long>($"SELECT count(*) FROM \"AspNetUsers\" WHERE \"Id\" = '{agent.UserId}' OR \"Email\" = '{agent.Email}'"));
        Assert.Equal(0, await App.ScalarAsync<long>($"SELECT count(*) FROM \"Members\" WHERE \"UserId\" = '{agent.UserId}' OR \"Email\" = '{agent.Email}'"));
        // Stays: what they wrote, attributed to nobody who can be named; their conversation is back in the queue.
        Assert.Equal(1, await App.ScalarAsync<long>($"SELECT count(*) FROM \"Messages\" WHERE \"Id\" = '{replyId}' AND \"AuthorUserId\" = '{agent.UserId}'"));
        var members = await (await workspace.Owner.Client.GetAsync("/api/v1/members")).ReadAsync<JsonElement>();
        Assert.DoesNotContain(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("userId").GetGuid() == agent.UserId);
        var conversation = await (await workspace.Owner.Client.GetAsync($"/api/v1/conversations/{received.ConversationId}")).ReadAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, conversation.GetProperty("assigneeId").ValueKind);
        Assert.Contains(MailsTo(agent.Email), m => m.Contains("Subject: Your OneInbox account was deleted", StringComparison.Ordinal));

        // The only Owner is told which workspace would close, and confirms.
        var warned = await (await Delete(workspace.Owner.Client, new { password = workspace.Owner.Password })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Acme", warned.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await App.ScalarAsync<long>($"SELECT count(*) FROM \"AspNetUsers\" WHERE \"Id\" = '{workspace.Owner.UserId}'"));
        var confirmed = await (await Delete(workspace.Owner.Client, new { password = workspace.Owner.Password, closeWorkspaces = true })).ReadAsync<JsonElement>();
        Assert.Equal(workspace.Id, confirmed.GetProperty("closedWorkspaces")[0].GetProperty("id").GetGuid());
        Assert.Equal(1, await App.ScalarAsync<long>($"SELECT count(*) FROM \"Workspaces\" WHERE \"Id\" = '{workspace.Id}' AND \"ClosedAt\" IS NOT NULL"));
        var ownerMails = MailsTo(workspace.Owner.Email);
        Assert.Contains(ownerMails, m => m.Contains("was closed", StringComparison.Ordinal));
        Assert.Contains(ownerMails, m => m.Contains("Subject: Your OneInbox account was deleted", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> Delete(HttpClient client, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(body) });

    /// <summary>The .eml files the server kept (no SMTP host configured) addressed to <paramref name="email"/>.</summary>
    private List<string> MailsTo(string email)
    {
        var folder = Path.Combine(App.DataPath, "mail");
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.eml").Select(File.ReadAllText).Where(m => m.Contains("To: " + email, StringComparison.OrdinalIgnoreCase))]
            : [];
    }

    /// <summary>A form post from a server page: its antiforgery token and returnUrl, and the given fields.</summary>
    private static FormUrlEncodedContent Form(string page, Dictionary<string, string> fields)
    {
        var antiforgery = AntiforgeryField().Match(page);
        fields[antiforgery.Groups[1].Value] = antiforgery.Groups[2].Value;
        fields["returnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value);
        return new FormUrlEncodedContent(fields);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*RequestVerification[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]+)\"")]
    private static partial Regex ReturnUrlField();
}
