using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;

namespace OneInbox.WebApi.Identity;

/// <summary>
/// Hands OpenIddict's server to ASP.NET Core's authentication only on the paths of its endpoints (token, authorize,
/// end session, revocation, discovery and keys, and any other it is given). The authentication middleware asks every
/// request handler of every scheme whether a request is theirs; OpenIddict's server answers by running its request
/// pipeline, some 2 % of a node's processor time in a burst of webhooks, none of which it would ever handle. Elsewhere
/// the server's scheme has no handler, as if it were not registered: nothing outside its endpoints signs in with it.
/// </summary>
internal sealed class TokenServerPaths(IAuthenticationSchemeProvider schemes, TokenServerPaths.Endpoints endpoints) : IAuthenticationHandlerProvider
{
    private readonly AuthenticationHandlerProvider _handlers = new(schemes);

    public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme) =>
        authenticationScheme == OpenIddictServerAspNetCoreDefaults.AuthenticationScheme && !IsServerPath(context.Request)
            ? Task.FromResult<IAuthenticationHandler?>(null)
            : _handlers.GetHandlerAsync(context, authenticationScheme);

    // An absolute endpoint address includes the base path the application runs under: both forms are tried.
    private bool IsServerPath(HttpRequest request) =>
        IsServerPath(request.Path) || (request.PathBase.HasValue && IsServerPath(request.PathBase.Add(request.Path)));

    private bool IsServerPath(PathString path)
    {
        foreach (var serverPath in endpoints.Paths)
        {
            if (path.StartsWithSegments(serverPath, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>The paths of the server's endpoints, read once from its options (a singleton; the provider is per request).</summary>
    internal sealed class Endpoints(IOptions<OpenIddictServerOptions> server)
    {
        public PathString[] Paths { get; } = PathsOf(server.Value);

        private static PathString[] PathsOf(OpenIddictServerOptions options) =>
            new[]
            {
                options.AuthorizationEndpointUris, options.ConfigurationEndpointUris, options.DeviceAuthorizationEndpointUris,
                options.EndSessionEndpointUris, options.EndUserVerificationEndpointUris, options.IntrospectionEndpointUris,
                options.JsonWebKeySetEndpointUris, options.PushedAuthorizationEndpointUris, options.RevocationEndpointUris,
                options.TokenEndpointUris, options.UserInfoEndpointUris,
            }
            .SelectMany(uris => uris)
            .Select(uri => new PathString("/" + (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Trim('/')))
            .Distinct()
            .ToArray();
    }
}
