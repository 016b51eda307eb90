using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OneInbox.Application.Identity;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Persistence;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OneInbox.WebApi.Identity;

/// <summary>
/// At start-up (after the migrations): registers the first-party clients, and on a fresh installation
/// creates the platform admin and first workspace from configuration, or in Development with a random
/// password printed once.
/// </summary>
internal sealed partial class IdentityBootstrap(IServiceProvider services, IHostEnvironment environment, ILogger<IdentityBootstrap> logger) : IHostedService
{
    public const string CliClientId = "oneinbox-cli";
    public const string StudioClientId = "oneinbox-studio";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Nodes starting together would update the same client rows and both create the first admin: one at a time.
        await using var bootstrapping = await services.GetRequiredService<ClusterLock>().AcquireAsync("bootstrap", cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await SeedClientsAsync(scope.ServiceProvider, cancellationToken);
        await SeedAdminAsync(scope.ServiceProvider, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates or updates the two public clients, so configuration changes to redirect URIs apply on restart.</summary>
    public static async Task SeedClientsAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var applications = provider.GetRequiredService<IOpenIddictApplicationManager>();
        var options = provider.GetRequiredService<IOptions<OneInboxIdentityOptions>>().Value;

        var cli = new OpenIddictApplicationDescriptor
        {
            ClientId = CliClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "OneInbox command line and first-party apps",
            Permissions =
            {
                Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.Password, Permissions.GrantTypes.RefreshToken,
                Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + "api",
            },
        };
        var studio = new OpenIddictApplicationDescriptor
        {
            ClientId = StudioClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "OneInbox Studio",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + "api",
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in options.StudioRedirectUris)
            studio.RedirectUris.Add(new Uri(uri));
        foreach (var uri in options.StudioPostLogoutRedirectUris)
            studio.PostLogoutRedirectUris.Add(new Uri(uri));

        foreach (var descriptor in new[] { cli, studio })
        {
            if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is { } existing)
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            else
                await applications.CreateAsync(descriptor, cancellationToken);
        }
    }

    private async Task SeedAdminAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var options = provider.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        var users = provider.GetRequiredService<UserManager<OneInboxUser>>();
        var accounts = provider.GetRequiredService<IUserAccounts>();
        var founder = provider.GetRequiredService<WorkspaceFounder>();

        if (options.AdminEmail is { Length: > 0 } email && options.AdminPassword is { Length: > 0 } password)
        {
            if (await users.FindByEmailAsync(email) is not null)
                return;
            var admin = await accounts.CreateAsync(email, password, "Administrator", platformAdmin: true, "OneInbox:Bootstrap:AdminPassword", cancellationToken);
            await founder.FoundAsync(options.Workspace is { Length: > 0 } name ? name : "My workspace", admin, cancellationToken);
            LogBootstrapped();
            return;
        }

        if (!environment.IsDevelopment() || users.Users.Any())
            return;
        var generated = Secrets.NewToken(15);
        var devAdmin = await accounts.CreateAsync("admin@oneinbox.local", generated, "Administrator", platformAdmin: true, "password", cancellationToken);
        await founder.FoundAsync(options.Workspace is { Length: > 0 } workspace ? workspace : "My workspace", devAdmin, cancellationToken);
        // Printed once, to the console of the developer who started a fresh installation; never logged again.
        Console.WriteLine($"""

            ==== OneInbox first run ====
            Platform admin: admin@oneinbox.local
            Password:       {generated}
            (shown once; set OneInbox:Bootstrap:AdminEmail / AdminPassword to choose your own)
            ============================

            """);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the configured platform admin and its workspace")]
    private partial void LogBootstrapped();
}
