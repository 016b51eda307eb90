namespace OneInbox.Application.Identity;

/// <summary>OAuth clients registered with the token server.</summary>
public interface IClientRegistry
{
    /// <summary>Registers a confidential client-credentials client and returns its secret, which is never readable again.</summary>
    Task<(string ClientId, string ClientSecret)> CreateConfidentialClientAsync(string displayName, CancellationToken cancellationToken);

    Task DeleteClientAsync(string clientId, CancellationToken cancellationToken);
}
