using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Identity;

/// <summary>
/// Tokens made outside the token server. The first test proves the forging is faithful (a token made with
/// the server's own key and claims is accepted); each other test changes one thing and must get 401.
/// </summary>
public class TokenForgeryTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_faithfully_made_token_is_accepted_which_makes_the_other_cases_meaningful()
    {
        var (member, issuer) = await MemberAsync();

        var response = await App.WithToken(Forge(member, issuer)).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var (member, issuer) = await MemberAsync();

        var token = Forge(member, issuer, expires: TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-5), issuedAt: TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-20));

        await (await App.WithToken(token).GetAsync("/api/v1/me")).AssertProblemOrEmpty401Async();
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var (member, issuer) = await MemberAsync();

        await (await App.WithToken(Forge(member, issuer, audience: "someone-else")).GetAsync("/api/v1/me")).AssertProblemOrEmpty401Async();
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var (member, _) = await MemberAsync();

        await (await App.WithToken(Forge(member, "https://evil.example/")).GetAsync("/api/v1/me")).AssertProblemOrEmpty401Async();
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var (member, issuer) = await MemberAsync();

        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = new JsonWebToken(member.Token.AccessToken).Kid };

        await (await App.WithToken(Forge(member, issuer, key: stranger)).GetAsync("/api/v1/me")).AssertProblemOrEmpty401Async();
    }

    [Fact]
    public async Task A_token_whose_payload_was_edited_is_refused()
    {
        var (member, _) = await MemberAsync();
        var parts = member.Token.AccessToken.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["workspace_role"] = JsonSerializer.SerializeToElement("Owner");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}";

        await (await App.WithToken(tampered).GetAsync("/api/v1/me")).AssertProblemOrEmpty401Async();
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused()
    {
        var (member, _) = await MemberAsync();
        var parts = member.Token.AccessToken.Split('.');
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}");

        await (await App.WithToken($"{header}.{parts[1]}.").GetAsync("/api/v1/me")).AssertProblemOrEmpty401Async();
    }

    private async Task<(TestMember Member, string Issuer)> MemberAsync()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var member = await workspace.MemberAsync(WorkspaceRole.Agent);
        var issuer = new JsonWebToken(member.Token.AccessToken).Issuer;
        return (member, issuer);
    }

    /// <summary>The server's own signing key, read from the data folder where the embedded setup keeps it.</summary>
    private RsaSecurityKey SigningKey(string keyId)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(App.DataPath, "keys", "signing.pem")));
        return new RsaSecurityKey(rsa) { KeyId = keyId };
    }

    private string Forge(TestMember member, string issuer, string audience = "oneinbox-api", DateTime? expires = null, DateTime? issuedAt = null, SecurityKey? key = null)
    {
        var real = new JsonWebToken(member.Token.AccessToken);
        var claims = real.Claims.Where(c => c.Type is not ("aud" or "iss" or "exp" or "iat" or "nbf")).ToList();
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt ?? TimeProvider.System.GetUtcNow().UtcDateTime,
            NotBefore = issuedAt ?? TimeProvider.System.GetUtcNow().UtcDateTime,
            Expires = expires ?? TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key ?? SigningKey(real.Kid), SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}

internal static class UnauthorizedAssertions
{
    /// <summary>401 from the token validation (empty body with a Bearer challenge, or Problem Details).</summary>
    public static async Task AssertProblemOrEmpty401Async(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"Expected 401, got {(int)response.StatusCode}: {body}");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.DoesNotContain("\"userId\"", body, StringComparison.Ordinal);
    }
}
