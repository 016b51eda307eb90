using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.IntegrationTests.Infrastructure;

/// <summary>A member of a test workspace, with an HTTP client carrying a real token obtained with their password.</summary>
public sealed record TestMember(Guid UserId, string Email, string Password, WorkspaceRole Role, HttpClient Client, TokenResponse Token);

public sealed record TokenResponse(string AccessToken, string? RefreshToken, int ExpiresIn);

/// <summary>A workspace made for one test: members are real users who sign in through the token endpoint.</summary>
public sealed class TestWorkspace(OneInboxApp app, Guid id, string name, TestMember owner)
{
    public const string Password = "correct horse battery staple";

    public Guid Id { get; } = id;

    public string Name { get; } = name;

    public TestMember Owner { get; } = owner;

    public async Task<HttpClient> ClientAsync(WorkspaceRole role) => (await MemberAsync(role)).Client;

    /// <summary>A new user who joins this workspace with the role and signs in.</summary>
    public async Task<TestMember> MemberAsync(WorkspaceRole role, string? email = null)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        await using var scope = app.Services.CreateAsyncScope();
        var account = await TestIdentity.NewAccountAsync(scope.ServiceProvider, email, Password, role + " " + email[..6]);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        db.Members.Add(WorkspaceMember.Admit(Id, account.Id, role, account.DisplayName, email, TimeProvider.System));
        await db.SaveChangesAsync();
        return await app.SignInAsync(account.Id, email, Password, role, Id);
    }
}

public static class TestIdentity
{
    /// <summary>A fresh workspace with an owner who is signed in.</summary>
    public static async Task<TestWorkspace> CreateWorkspaceAsync(this OneInboxApp app, string name = "Acme")
    {
        var email = $"owner-{Guid.NewGuid():N}@example.test";
        await using var scope = app.Services.CreateAsyncScope();
        var account = await NewAccountAsync(scope.ServiceProvider, email, TestWorkspace.Password, "Owner");
        var workspace = await scope.ServiceProvider.GetRequiredService<WorkspaceFounder>().FoundAsync(name, account, CancellationToken.None);
        var owner = await app.SignInAsync(account.Id, email, TestWorkspace.Password, WorkspaceRole.Owner, workspace.Id);
        return new TestWorkspace(app, workspace.Id, name, owner);
    }

    /// <summary>An account as sign-up or an accepted invitation leaves it: 18 or older confirmed, the current policy accepted.</summary>
    public static async Task<UserAccount> NewAccountAsync(IServiceProvider services, string email, string password, string displayName, bool platformAdmin = false)
    {
        var accounts = services.GetRequiredService<IUserAccounts>();
        var account = await accounts.CreateAsync(email, password, displayName, platformAdmin, "password", CancellationToken.None);
        await accounts.RecordTermsAsync(account.Id, adultConfirmed: true, services.GetRequiredService<IPrivacyPolicyTerms>().Current.Version, CancellationToken.None);
        return account;
    }

    public static async Task<TestMember> SignInAsync(this OneInboxApp app, Guid userId, string email, string password, WorkspaceRole role, Guid workspaceId)
    {
        var token = await app.PasswordGrantAsync(email, password, workspaceId);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return new TestMember(userId, email, password, role, client, token);
    }

    public static async Task<TokenResponse> PasswordGrantAsync(this OneInboxApp app, string email, string password, Guid? workspaceId = null)
    {
        var response = await app.CreateClient().PostAsync("/connect/token", PasswordForm(email, password, workspaceId));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Sign-in failed with {(int)response.StatusCode}: {body}");
        return ReadToken(body);
    }

    /// <summary>Signs up a new owner with a workspace on a server process, as a new user would; the owner's access token.</summary>
    public static async Task<string> SignUpAsync(HttpClient http, string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@example.test";
        const string password = "a test password that is long enough";
        var signup = await http.PostAsJsonAsync("/api/v1/signup", new { email, password, displayName = prefix, workspaceName = prefix, confirmAdult = true });
        var workspace = await signup.ReadAsync<JsonElement>(HttpStatusCode.Created);
        var token = await http.PostAsync("/connect/token", PasswordForm(email, password, workspace.GetProperty("id").GetGuid()));
        return ReadToken(await token.Content.ReadAsStringAsync()).AccessToken;
    }

    public static FormUrlEncodedContent PasswordForm(string email, string password, Guid? workspaceId = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "oneinbox-cli",
            ["username"] = email,
            ["password"] = password,
            ["scope"] = "openid offline_access api",
        };
        if (workspaceId is { } id)
            fields["workspace_id"] = id.ToString();
        return new FormUrlEncodedContent(fields);
    }

    public static TokenResponse ReadToken(string body)
    {
        var json = JsonDocument.Parse(body).RootElement;
        return new TokenResponse(
            json.GetProperty("access_token").GetString()!,
            json.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            json.GetProperty("expires_in").GetInt32());
    }

    public static HttpClient WithToken(this OneInboxApp app, string accessToken)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Runs work in a unit of work of the given workspace, as a background job would.</summary>
    public static async Task<T> InWorkspaceAsync<T>(this OneInboxApp app, Guid workspaceId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        return await work(scope.ServiceProvider);
    }
}
