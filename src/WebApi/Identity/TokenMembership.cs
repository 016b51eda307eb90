using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.WebApi.Infrastructure;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OneInbox.WebApi.Identity;

/// <summary>
/// Checks every authenticated request against the database, so that a changed password, a removed
/// membership, a changed role, a revoked client or a closed workspace takes effect at once rather than when the token expires.
/// On success the request acts in the token's workspace with the role the database holds now.
/// </summary>
internal static class TokenMembership
{
    public static IApplicationBuilder UseTokenMembership(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var db = context.RequestServices.GetRequiredService<OneInboxDbContext>();
            var role = await CurrentRoleAsync(db, context.User, context.RequestAborted);
            if (role is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await Results.Problem(statusCode: 401, title: "Authentication required.",
                        detail: "The token is no longer valid: sign in again.")
                    .ExecuteAsync(context);
                return;
            }

            if (context.User.FindFirst(Policies.WorkspaceClaim)?.Value is { } workspace)
            {
                context.RequestServices.GetRequiredService<WorkspaceContext>().Enter(Guid.Parse(workspace));
                context.User = WithRole(context.User, role.Value);
            }
        }
        await next(context);
    });

    /// <summary>The role the token may act with now; <see cref="Outcome.NoWorkspace"/> when it has no workspace; null when it is dead.</summary>
    private static async Task<Outcome?> CurrentRoleAsync(OneInboxDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        Guid? workspaceId = Guid.TryParse(user.FindFirst(Policies.WorkspaceClaim)?.Value, out var ws) ? ws : null;
        if (user.FindFirst(TokenPrincipals.ClientClaim)?.Value is { } clientId)
        {
            var clientRole = await db.IntegrationClients.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.ClientId == clientId && c.WorkspaceId == workspaceId && c.RevokedAt == null && db.Workspaces.Any(w => w.Id == c.WorkspaceId && w.ClosedAt == null))
                .Select(c => (WorkspaceRole?)c.Role)
                .FirstOrDefaultAsync(cancellationToken);
            return clientRole is { } r ? new Outcome(r) : null;
        }

        if (!Guid.TryParse(user.GetClaim(Claims.Subject), out var userId))
            return null;
        var row = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.SecurityStamp,
                Role = db.Members.IgnoreQueryFilters()
                    .Where(m => m.UserId == userId && m.WorkspaceId == workspaceId && db.Workspaces.Any(w => w.Id == m.WorkspaceId && w.ClosedAt == null))
                    .Select(m => (WorkspaceRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.SecurityStamp != user.FindFirst(TokenPrincipals.StampClaim)?.Value)
            return null;
        if (workspaceId is null)
            return Outcome.NoWorkspace;
        return row.Role is { } role ? new Outcome(role) : null;
    }

    private static ClaimsPrincipal WithRole(ClaimsPrincipal user, Outcome outcome)
    {
        var identity = new ClaimsIdentity(user.Claims.Where(c => c.Type != Policies.RoleClaim), user.Identity!.AuthenticationType, Claims.Name, Policies.RoleClaim);
        if (outcome.Role is { } role)
            identity.AddClaim(new Claim(Policies.RoleClaim, role.ToString()));
        return new ClaimsPrincipal(identity);
    }

    private readonly record struct Outcome(WorkspaceRole? Role)
    {
        public static readonly Outcome NoWorkspace = new(null);
    }
}
