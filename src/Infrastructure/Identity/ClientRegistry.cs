using OneInbox.Application.Identity;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OneInbox.Infrastructure.Identity;

internal sealed class ClientRegistry(IOpenIddictApplicationManager applications) : IClientRegistry
{
    public async Task<(string ClientId, string ClientSecret)> CreateConfidentialClientAsync(string displayName, CancellationToken cancellationToken)
    {
        var clientId = "oic_" + Secrets.NewToken(12);
        var secret = Secrets.NewToken(32);
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "api" },
        }, cancellationToken);
        return (clientId, secret);
    }

    public async Task DeleteClientAsync(string clientId, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application)
            await applications.DeleteAsync(application, cancellationToken);
    }
}
