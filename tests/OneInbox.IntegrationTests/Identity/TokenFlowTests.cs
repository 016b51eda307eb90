using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;

namespace OneInbox.IntegrationTests.Identity;

public partial class TokenFlowTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_password_grant_gives_a_token_for_the_members_workspace()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);

        var me = await (await agent.Client.GetAsync("/api/v1/me")).ReadAsync<JsonElement>();

        Assert.Equal(agent.UserId, me.GetProperty("userId").GetGuid());
        Assert.Equal(workspace.Id, me.GetProperty("activeWorkspace").GetProperty("id").GetGuid());
        Assert.Equal("agent", me.GetProperty("activeWorkspace").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_which_part_was_wrong()
    {
        var workspace = await App.CreateWorkspaceAsync();

        var wrongPassword = await App.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm(workspace.Owner.Email, "not the password"));
        var unknownUser = await App.CreateClient().PostAsync("/connect/token", TestIdentity.PasswordForm("nobody@example.test", "not the password"));

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(await ErrorDescription(wrongPassword), await ErrorDescription(unknownUser));
    }

    [Fact]
    public async Task A_refresh_token_is_rotated_and_the_old_one_stops_working()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var first = workspace.Owner.Token;

        var refreshed = await RefreshAsync(first.RefreshToken!);
        var again = await App.CreateClient().PostAsync("/connect/token", RefreshForm(first.RefreshToken!));

        Assert.NotEqual(first.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await App.WithToken(refreshed.AccessToken).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task Refreshing_with_a_workspace_id_switches_to_another_workspace_the_user_belongs_to()
    {
        var acme = await App.CreateWorkspaceAsync("Acme");
        var globex = await App.CreateWorkspaceAsync("Globex");
        await App.InWorkspaceAsync(globex.Id, async services =>
        {
            var db = services.GetService(typeof(OneInbox.Infrastructure.Persistence.OneInboxDbContext)) as OneInbox.Infrastructure.Persistence.OneInboxDbContext;
            db!.Members.Add(WorkspaceMember.Join(acme.Owner.UserId, WorkspaceRole.Auditor, "Acme owner", acme.Owner.Email, TimeProvider.System));
            return await db.SaveChangesAsync();
        });

        var switched = await RefreshAsync(acme.Owner.Token.RefreshToken!, globex.Id);
        var me = await (await App.WithToken(switched.AccessToken).GetAsync("/api/v1/me")).ReadAsync<JsonElement>();
        var refused = await App.CreateClient().PostAsync("/connect/token", RefreshForm(switched.RefreshToken!, Guid.NewGuid()));

        Assert.Equal(globex.Id, me.GetProperty("activeWorkspace").GetProperty("id").GetGuid());
        Assert.Equal("auditor", me.GetProperty("activeWorkspace").GetProperty("role").GetString());
        Assert.Equal(2, me.GetProperty("workspaces").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_revoked_refresh_token_cannot_be_used()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var refresh = workspace.Owner.Token.RefreshToken!;

        var revoke = await App.CreateClient().PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = refresh,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = "oneinbox-cli",
        }));
        var after = await App.CreateClient().PostAsync("/connect/token", RefreshForm(refresh));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_kills_every_token_issued_before()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);

        var change = await agent.Client.PostJsonAsync("/api/v1/me/password",
            new { currentPassword = TestWorkspace.Password, newPassword = "a brand new passphrase" });
        var oldAccess = await agent.Client.GetAsync("/api/v1/me");
        var oldRefresh = await App.CreateClient().PostAsync("/connect/token", RefreshForm(agent.Token.RefreshToken!));
        var fresh = await App.PasswordGrantAsync(agent.Email, "a brand new passphrase");

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        await oldAccess.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.BadRequest, oldRefresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.WithToken(fresh.AccessToken).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Removing_a_member_kills_their_tokens_for_that_workspace_at_once()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        Assert.Equal(HttpStatusCode.OK, (await agent.Client.GetAsync("/api/v1/contacts")).StatusCode);

        var removal = await workspace.Owner.Client.DeleteAsync($"/api/v1/members/{agent.UserId}");
        var after = await agent.Client.GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.NoContent, removal.StatusCode);
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_role_change_applies_to_the_next_request_without_a_new_token()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);

        await (await workspace.Owner.Client.PatchAsJsonAsync($"/api/v1/members/{agent.UserId}", new { role = "auditor" }, JsonSerializerOptions.Web)).ReadAsync<JsonElement>();
        var write = await agent.Client.PostJsonAsync("/api/v1/contacts", new { displayName = "Ann" });
        var read = await agent.Client.GetAsync("/api/v1/contacts");

        await write.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task An_integration_client_signs_in_with_client_credentials_until_it_is_revoked()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var created = await (await workspace.Owner.Client.PostJsonAsync("/api/v1/integration-clients", new { name = "Shop sync", role = "agent" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var clientId = created.GetProperty("clientId").GetString()!;
        var secret = created.GetProperty("clientSecret").GetString()!;

        var token = await ClientCredentialsAsync(clientId, secret);
        var integration = App.WithToken(token);
        var contact = await integration.PostJsonAsync("/api/v1/contacts", new { displayName = "From the shop" });
        var listed = await (await workspace.Owner.Client.GetAsync("/api/v1/integration-clients")).ReadAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, contact.StatusCode);
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);

        var revoke = await workspace.Owner.Client.DeleteAsync($"/api/v1/integration-clients/{created.GetProperty("id").GetGuid()}");
        var afterRevoke = await integration.GetAsync("/api/v1/contacts");
        var newToken = await App.CreateClient().PostAsync("/connect/token", ClientCredentialsForm(clientId, secret));

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await afterRevoke.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.NotEqual(HttpStatusCode.OK, newToken.StatusCode);
    }

    [Fact]
    public async Task The_Studio_signs_in_with_authorization_code_and_PKCE()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = "/connect/authorize?response_type=code&client_id=oneinbox-studio"
            + "&redirect_uri=" + Uri.EscapeDataString("http://localhost/studio/callback")
            + "&scope=" + Uri.EscapeDataString("openid offline_access api")
            + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=xyz";

        var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginUrl = toLogin.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/login", loginUrl, StringComparison.Ordinal);

        var page = await (await browser.GetAsync(loginUrl)).Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(page);
        var returnUrl = ReturnUrlField().Match(page).Groups[1].Value;
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Groups[1].Value] = antiforgery.Groups[2].Value,
            ["returnUrl"] = System.Net.WebUtility.HtmlDecode(returnUrl),
            ["email"] = workspace.Owner.Email,
            ["password"] = TestWorkspace.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var toCallback = await browser.GetAsync(signedIn.Headers.Location!.OriginalString);
        var callback = toCallback.Headers.Location!;
        Assert.StartsWith("http://localhost/studio/callback", callback.OriginalString, StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal("xyz", query["state"]);

        var exchange = await App.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "oneinbox-studio",
            ["code"] = query["code"]!,
            ["redirect_uri"] = "http://localhost/studio/callback",
            ["code_verifier"] = verifier,
        }));
        var token = TestIdentity.ReadToken(await exchange.Content.ReadAsStringAsync());
        var me = await (await App.WithToken(token.AccessToken).GetAsync("/api/v1/me")).ReadAsync<JsonElement>();

        Assert.Equal(workspace.Owner.UserId, me.GetProperty("userId").GetGuid());
        Assert.NotNull(token.RefreshToken);
    }

    [Fact]
    public async Task A_code_exchange_without_the_right_verifier_is_refused()
    {
        var response = await App.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "oneinbox-studio",
            ["code"] = "made-up",
            ["redirect_uri"] = "http://localhost/studio/callback",
            ["code_verifier"] = "wrong",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_advertises_the_token_and_authorization_endpoints()
    {
        var discovery = await App.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString(), StringComparison.Ordinal);
        Assert.Contains("S256", discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        var keys = await App.CreateClient().GetFromJsonAsync<JsonElement>(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery);
        Assert.Equal("RS256", keys.GetProperty("keys")[0].GetProperty("alg").GetString());
    }

    [Fact]
    public async Task The_token_server_takes_part_in_authentication_only_on_its_own_endpoints()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var handlers = scope.ServiceProvider.GetRequiredService<IAuthenticationHandlerProvider>();
        Task<IAuthenticationHandler?> HandlerAsync(string path, string scheme) =>
            handlers.GetHandlerAsync(new DefaultHttpContext { RequestServices = scope.ServiceProvider, Request = { Path = path } }, scheme);

        Assert.NotNull(await HandlerAsync("/connect/token", OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        Assert.NotNull(await HandlerAsync("/.well-known/openid-configuration", OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        Assert.Null(await HandlerAsync("/webhooks/telegram/00000000000000000000000000000000", OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        Assert.Null(await HandlerAsync("/api/v1/me", OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        Assert.NotNull(await HandlerAsync("/api/v1/me", OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme));
    }

    private async Task<TokenResponse> RefreshAsync(string refreshToken, Guid? workspaceId = null)
    {
        var response = await App.CreateClient().PostAsync("/connect/token", RefreshForm(refreshToken, workspaceId));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return TestIdentity.ReadToken(body);
    }

    private async Task<string> ClientCredentialsAsync(string clientId, string secret)
    {
        var response = await App.CreateClient().PostAsync("/connect/token", ClientCredentialsForm(clientId, secret));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return TestIdentity.ReadToken(body).AccessToken;
    }

    private static FormUrlEncodedContent ClientCredentialsForm(string clientId, string secret) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
        ["client_secret"] = secret,
        ["scope"] = "api",
    });

    private static FormUrlEncodedContent RefreshForm(string refreshToken, Guid? workspaceId = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "oneinbox-cli",
            ["refresh_token"] = refreshToken,
        };
        if (workspaceId is { } id)
            fields["workspace_id"] = id.ToString();
        return new FormUrlEncodedContent(fields);
    }

    private static async Task<string?> ErrorDescription(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error_description").GetString();

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken|[^\"]*RequestVerification[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]+)\"")]
    private static partial Regex ReturnUrlField();
}
