using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Identity;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.WebApi.Infrastructure;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OneInbox.WebApi.Identity;

/// <summary>
/// The OAuth 2.0 / OpenID Connect endpoints whose requests OpenIddict has already parsed and validated
/// (pass-through): here we decide who the token is for.
/// </summary>
internal static class ConnectEndpoints
{
    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").ExcludeFromDescription().AllowAnonymous();
        connect.MapPost("/token", (Delegate)ExchangeAsync);
        connect.MapMethods("/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync);
        connect.MapMethods("/endsession", ["GET", "POST"], (Delegate)EndSessionAsync);
        return app;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext context,
        UserManager<OneInboxUser> users,
        SignInManager<OneInboxUser> signIn,
        TokenPrincipals principals,
        OneInboxDbContext db,
        IAuditLog audit,
        CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");

        if (request.IsPasswordGrantType())
        {
            var user = await users.FindByEmailAsync(request.Username ?? string.Empty);
            if (user is null)
                return await FailAsync(Errors.InvalidGrant, "The email or password is not right.", "signin.failed", request.Username);
            var check = await signIn.CheckPasswordSignInAsync(user, request.Password ?? string.Empty, lockoutOnFailure: true);
            if (check.IsLockedOut)
                return await FailAsync(Errors.InvalidGrant, "Too many failed sign-ins: the account is locked for a while.", "signin.locked_out", user.Id.ToString());
            if (!check.Succeeded)
                return await FailAsync(Errors.InvalidGrant, "The email or password is not right.", "signin.failed", user.Id.ToString());
            var principal = await principals.ForUserAsync(user, RequestedWorkspace(request), request.GetScopes(), cancellationToken);
            if (principal is null)
                return await FailAsync(Errors.InvalidRequest, "You are not a member of that workspace.", "signin.failed", user.Id.ToString());
            audit.Record("signin.succeeded", user.Id.ToString(), "password", WorkspaceOf(principal), user.Id.ToString());
            await db.SaveChangesAsync(cancellationToken);
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var subject = result.Principal?.GetClaim(Claims.Subject);
            var user = subject is null ? null : await users.FindByIdAsync(subject);
            if (user is null || result.Principal!.GetClaim(TokenPrincipals.StampClaim) != user.SecurityStamp)
                return await FailAsync(Errors.InvalidGrant, "The token is no longer valid: sign in again.", "token.refused", subject);
            var previous = result.Principal!;
            var workspace = RequestedWorkspace(request)
                ?? (Guid.TryParse(previous.GetClaim(Policies.WorkspaceClaim), out var current) ? current : null);
            var principal = await principals.ForUserAsync(user, workspace, previous.GetScopes(), cancellationToken)
                ?? await principals.ForUserAsync(user, null, previous.GetScopes(), cancellationToken);
            if (principal is null || (RequestedWorkspace(request) is { } asked && WorkspaceOf(principal) != asked))
                return await FailAsync(Errors.InvalidRequest, "You are not a member of that workspace.", "token.refused", subject);
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var client = await db.IntegrationClients.IgnoreQueryFilters().AsNoTracking()
                .FirstOrDefaultAsync(c => c.ClientId == request.ClientId && c.RevokedAt == null && db.Workspaces.Any(w => w.Id == c.WorkspaceId && w.ClosedAt == null), cancellationToken);
            if (client is null)
                return await FailAsync(Errors.InvalidClient, "The client is not registered.", "signin.failed", request.ClientId);
            return Results.SignIn(TokenPrincipals.ForClient(client), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");

        async Task<IResult> FailAsync(string error, string description, string action, string? actor)
        {
            audit.Record(action, actor, description, actor: actor);
            await db.SaveChangesAsync(cancellationToken);
            return Refuse(error, description);
        }
    }

    /// <summary>Authorization code + PKCE for the Studio: the signed-in (cookie) user consents implicitly, being first party.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<OneInboxUser> users, TokenPrincipals principals,
        IPrivacyPolicyTerms terms, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal!) : null;
        if (user is null || user.AcceptedPolicyVersion != terms.Current.Version)
        {
            var query = context.Request.HasFormContentType
                ? QueryString.Create(context.Request.Form.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())))
                : context.Request.QueryString;
            // Signed in but the policy changed since they accepted it: they are asked first (privacy policy §11).
            var page = user is null ? "/account/login" : "/account/policy";
            return Results.Redirect(page + "?returnUrl=" + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + query));
        }

        var principal = await principals.ForUserAsync(user, RequestedWorkspace(request), request.GetScopes(), cancellationToken);
        if (principal is null)
            return Results.Forbid(Problem(Errors.AccessDenied, "You are not a member of that workspace."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/studio/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static Guid? RequestedWorkspace(OpenIddictRequest request) =>
        Guid.TryParse((string?)request[TokenPrincipals.WorkspaceParameter], out var id) ? id : null;

    private static Guid? WorkspaceOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetClaim(Policies.WorkspaceClaim), out var id) ? id : null;

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(Problem(error, description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static AuthenticationProperties Problem(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
