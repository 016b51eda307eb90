using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>A connection's decrypted credentials and provider base URL, as the workers hand them to a channel's parts.</summary>
/// <param name="BaseUrl">The provider's address when the connection names one (a test fake, a local server, the API channel's callback URL); null: the channel's public API.</param>
public sealed record ChannelEndpoint(Guid ConnectionId, Uri? BaseUrl, IReadOnlyDictionary<string, string> Credentials);

/// <summary>Makes the endpoint a connection's parts talk to: what the workers and commands hand to a channel module.</summary>
public static class ChannelEndpointOfConnection
{
    public static ChannelEndpoint ToEndpoint(this ChannelConnection connection, IReadOnlyDictionary<string, string> credentials)
    {
        var baseUrl = connection.BaseUrl is { Length: > 0 } configured ? configured : connection.CallbackUrl;
        return new ChannelEndpoint(connection.Id, baseUrl is null ? null : new Uri(baseUrl), credentials);
    }

    public static ChannelEndpoint ToEndpoint(this ChannelConnection connection) =>
        connection.ToEndpoint(ChannelCredentials.Deserialize(connection.Credentials));
}
