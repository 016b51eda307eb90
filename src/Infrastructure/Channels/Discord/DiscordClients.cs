using System.Collections.Concurrent;
using OneInbox.Application.Channels;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// Builds the REST client for a connection: its token, its base URL (the public API unless the connection names
/// one, as a test fake does) and the SSRF-guarded pooled HttpClient. The rate limits are one per bot on this
/// node, shared by the dispatcher, the gateway host and the mapper, since Discord counts them per bot.
/// </summary>
internal sealed class DiscordClients(IHttpClientFactory httpClients, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, DiscordRateLimits> _limits = new();

    public DiscordRestClient For(ChannelEndpoint endpoint) =>
        For(endpoint.ConnectionId, endpoint.BaseUrl, endpoint.Credentials.GetValueOrDefault(ChannelCredentials.BotToken)
            ?? throw new InvalidOperationException("The Discord connection has no bot token."));

    public DiscordRestClient For(Guid connectionId, Uri? baseUrl, string token) =>
        new(httpClients.CreateClient(ChannelHttp.Provider), baseUrl ?? DiscordModule.PublicApi, token,
            _limits.GetOrAdd(connectionId, _ => new DiscordRateLimits()), clock);

    /// <summary>For downloading attachments from Discord's CDN (signed, expiring URLs).</summary>
    public HttpClient Downloads() => httpClients.CreateClient(ChannelHttp.Provider);
}
