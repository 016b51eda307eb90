using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Infrastructure;
using OneInbox.Infrastructure.Identity;
using OneInbox.WebApi.Infrastructure;
using OpenIddict.Validation.AspNetCore;

namespace OneInbox.WebApi.Identity;

/// <summary>Sign-in, tokens and rate limits: OpenIddict's server and validation on ASP.NET Core Identity.</summary>
internal static class IdentitySetup
{
    public static WebApplicationBuilder AddOneInboxIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(OneInboxIdentityOptions.Section);
        services.AddOptions<OneInboxIdentityOptions>().Bind(section);
        services.AddOptions<BootstrapOptions>().Bind(builder.Configuration.GetSection(BootstrapOptions.Section));
        var options = section.Get<OneInboxIdentityOptions>() ?? new OneInboxIdentityOptions();
        var dataPath = Path.GetFullPath(builder.Configuration.GetValue("OneInbox:DataPath", "data")!, builder.Environment.ContentRootPath);
        var relaxedTransport = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
            })
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "oneinbox.signin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = relaxedTransport ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.LoginPath = "/account/login";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        services.AddSingleton<TokenServerPaths.Endpoints>();
        services.Replace(ServiceDescriptor.Scoped<IAuthenticationHandlerProvider, TokenServerPaths>());
        services.AddAuthorizationBuilder().AddOneInboxPolicies();
        services.AddAntiforgery(o => o.Cookie.Name = "oneinbox.antiforgery");

        services.AddOpenIddict()
            .AddServer(o =>
            {
                o.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetRevocationEndpointUris("connect/revoke");
                o.AllowPasswordFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(TokenPrincipals.AllowedScopes);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(options.AccessTokenMinutes))
                    .SetRefreshTokenLifetime(TimeSpan.FromDays(options.RefreshTokenDays))
                    // Strict rotation: a refresh token works once; a replay is treated as theft and refused.
                    .SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                if (options.Issuer is { Length: > 0 } issuer)
                    o.SetIssuer(new Uri(issuer));
                o.AddSigningKey(TokenKeys.LoadOrCreate(options.SigningKeyPath, dataPath, "signing"))
                    .AddEncryptionKey(TokenKeys.LoadOrCreate(options.EncryptionKeyPath, dataPath, "encryption"));
                // Access tokens are signed, not encrypted: resource servers and integrators can read their claims.
                o.DisableAccessTokenEncryption();
                var aspnet = o.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (relaxedTransport)
                    aspnet.DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.AddAudiences(TokenPrincipals.Audience);
                o.UseAspNetCore();
            });

        services.AddScoped<TokenPrincipals>();
        services.AddSingleton<IPrivacyPolicyTerms, PrivacyPolicyTerms>();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddHostedService<IdentityBootstrap>();
        AddRateLimits(services, options);
        return builder;
    }

    /// <summary>Authentication, the per-request token re-check, rate limits, then authorization.</summary>
    public static WebApplication UseOneInboxIdentity(this WebApplication app)
    {
        app.UseQueryStringTokensOnlyForHubs();
        app.UseAuthentication();
        app.UseTokenMembership();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapConnectEndpoints();
        app.MapAccountEndpoints();
        return app;
    }

    private static void AddRateLimits(IServiceCollection services, OneInboxIdentityOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: 429, title: "Too many requests.",
                        detail: $"Slow down: try again in {retryAfter} seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsTokenRequest(context)
                    ? Window("ip:" + context.Connection.RemoteIpAddress, options.TokenRequestsPerMinutePerIp)
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsTokenRequest(context) && UsernameOf(context) is { Length: > 0 } username
                    ? Window("user:" + username.Trim().ToLowerInvariant(), options.TokenRequestsPerMinutePerUser)
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.Request.Path.StartsWithSegments("/api") && context.User.FindFirst(Policies.WorkspaceClaim)?.Value is { } workspace
                        ? Window("workspace:" + workspace, options.ApiRequestsPerMinutePerWorkspace)
                        : RateLimitPartition.GetNoLimiter(string.Empty)));
        });
    }

    private static RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static bool IsTokenRequest(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/connect/token", StringComparison.OrdinalIgnoreCase);

    /// <summary>The token server has already read the form by now; we never read a body here.</summary>
    private static string? UsernameOf(HttpContext context) =>
        context.Features.Get<IFormFeature>()?.Form?["username"].ToString();

    /// <summary>
    /// Browsers cannot put headers on a WebSocket, so SignalR sends the token in the query string; anywhere
    /// else a token in a URL would end up in logs and histories, so it is refused.
    /// </summary>
    private static IApplicationBuilder UseQueryStringTokensOnlyForHubs(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Query.ContainsKey("access_token") && !context.Request.Path.StartsWithSegments("/hubs"))
        {
            await Results.Problem(statusCode: 400, title: "Bad request.",
                    detail: "Send the access token in the Authorization header, not in the URL.")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
