using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.WebApi.Infrastructure;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OneInbox.WebApi.Identity;

/// <summary>Builds the identities tokens are issued for: a user acting in one workspace, or an integration client.</summary>
internal sealed class TokenPrincipals(OneInboxDbContext db)
{
    public const string Audience = "oneinbox-api";
    public const string StampClaim = "security_stamp";
    public const string ClientClaim = "integration_client";
    public const string WorkspaceParameter = "workspace_id";

    public static readonly string[] AllowedScopes = [Scopes.OpenId, Scopes.OfflineAccess, Scopes.Email, Scopes.Profile, "api"];

    /// <summary>
    /// The user in the requested workspace, or in their oldest membership when none is asked for. Null when
    /// they ask for a workspace they are not a member of (or that is closed).
    /// </summary>
    public async Task<ClaimsPrincipal?> ForUserAsync(OneInboxUser user, Guid? workspaceId, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        var memberships = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == user.Id && db.Workspaces.Any(w => w.Id == m.WorkspaceId && w.ClosedAt == null))
            .OrderBy(m => m.JoinedAt)
            .Select(m => new { m.WorkspaceId, m.Role })
            .ToListAsync(cancellationToken);
        var chosen = workspaceId is { } id ? memberships.FirstOrDefault(m => m.WorkspaceId == id) : memberships.FirstOrDefault();
        if (workspaceId is not null && chosen is null)
            return null;

        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(StampClaim, user.SecurityStamp);
        if (chosen is not null)
            identity.SetClaim(Policies.WorkspaceClaim, chosen.WorkspaceId.ToString()).SetClaim(Policies.RoleClaim, chosen.Role.ToString());
        if (user.IsPlatformAdmin)
            identity.SetClaim(Policies.PlatformAdminClaim, "true");
        return Finish(identity, scopes);
    }

    public static ClaimsPrincipal ForClient(IntegrationClient client)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, client.ClientId)
            .SetClaim(Claims.Name, client.Name)
            .SetClaim(ClientClaim, client.ClientId)
            .SetClaim(Policies.WorkspaceClaim, client.WorkspaceId.ToString())
            .SetClaim(Policies.RoleClaim, client.Role.ToString());
        return Finish(identity, ["api"]);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Policies.RoleClaim);

    private static ClaimsPrincipal Finish(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes.Intersect(AllowedScopes, StringComparer.Ordinal));
        principal.SetResources(Audience);
        principal.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email => [Destinations.AccessToken, Destinations.IdentityToken],
            StampClaim => [Destinations.AccessToken],
            _ => [Destinations.AccessToken],
        });
        return principal;
    }
}
