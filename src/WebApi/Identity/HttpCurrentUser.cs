using OneInbox.Application.Common;
using OneInbox.Domain.Identity;
using OneInbox.WebApi.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OneInbox.WebApi.Identity;

/// <summary>The caller as the (already re-checked) token describes them; nobody outside a request.</summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor http) : ICurrentUser
{
    public Guid? UserId =>
        http.HttpContext?.User is { } user && user.FindFirst(TokenPrincipals.ClientClaim) is null
        && Guid.TryParse(user.FindFirst(Claims.Subject)?.Value, out var id) ? id : null;

    public WorkspaceRole? Role =>
        Enum.TryParse<WorkspaceRole>(http.HttpContext?.User.FindFirst(Policies.RoleClaim)?.Value, out var role) ? role : null;

    public bool IsPlatformAdmin => http.HttpContext?.User.HasClaim(Policies.PlatformAdminClaim, "true") == true;
}
