using System.Net;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using OneInbox.Application.Channels;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// Discord bots: a bot token (checked with GET /users/@me before anything is stored), the application id and
/// public key (for the optional HTTP interactions endpoint), and the server channels to listen in (DMs always).
/// Messages arrive over one gateway session per bot (<see cref="DiscordGateways"/>); the "webhook" of this
/// channel is the interactions endpoint, which the Developer Portal may or may not be pointed at.
/// </summary>
internal sealed partial class DiscordModule(DiscordClients clients) : IChannelModule
{
    public const ChannelType Channel = ChannelType.Discord;
    public const string ApplicationId = "applicationId";
    public const string PublicKey = "publicKey";
    public const string GuildChannelIds = "guildChannelIds";
    public const string GatewayUrl = "gatewayUrl";
    public const string BotUserId = "botUserId";

    /// <summary>The gateway session a takeover resumes (JSON: session id, resume URL, sequence); written by the gateway host.</summary>
    public const string GatewaySessionState = "gatewaySession";

    public static readonly Uri PublicApi = new("https://discord.com/api/v10");

    public ChannelType Type => Channel;

    public ChannelTypeDto Description { get; } = new(
        "discord",
        "Discord",
        ["webhook"],
        [
            new ChannelFieldDto(ChannelCredentials.BotToken, "Bot token", ChannelFieldKinds.Secret, true, "Developer Portal → your application → Bot → Reset Token", null, null),
            new ChannelFieldDto(ApplicationId, "Application id", ChannelFieldKinds.Text, true, "Developer Portal → General Information", null, null),
            new ChannelFieldDto(PublicKey, "Public key", ChannelFieldKinds.Text, true, "Developer Portal → General Information; checks button presses sent to the interactions endpoint", null, null),
            new ChannelFieldDto(GuildChannelIds, "Server channels", ChannelFieldKinds.List, false, "Ids of the server text channels to answer in (Developer Mode → Copy Channel ID); DMs always", null, null),
            new ChannelFieldDto(GatewayUrl, "Gateway URL", ChannelFieldKinds.Text, false, "Only for a local stand-in; normally Discord says where its gateway is", null, null),
        ],
        [ChannelCredentials.BotToken, PublicKey, GuildChannelIds],
        Provider: "Discord Inc. (Discord API)");

    /// <summary>Discord's buckets come from its headers (<see cref="DiscordRateLimits"/>), so we add no pacing of our own.</summary>
    public TimeSpan? ReplyWindow => null;

    public SendPacing? Pacing => null;

    /// <summary>Opens (or finds) the bot's DM channel with the user: its id keys the conversation, as for a DM the user began.</summary>
    public async ValueTask<string?> StartConversationAsync(ChannelEndpoint endpoint, string externalId, CancellationToken cancellationToken)
    {
        try
        {
            return (await clients.For(endpoint).OpenDirectMessageAsync(externalId, cancellationToken)).Id;
        }
        catch (DiscordApiException refused) when (refused.Code is 50007 or 50033)
        {
            throw new UnprocessableException("conversation.dm_refused", "This Discord user does not accept direct messages from the bot.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-\.]{30,100}$")]
    private static partial Regex TokenShape();

    [GeneratedRegex(@"^\d{17,20}$")]
    private static partial Regex Snowflake();

    public void Validate(ChannelSettings settings, bool creating, ConnectionMode mode, IList<ChannelFieldError> errors)
    {
        if (settings.Text(ChannelCredentials.BotToken) is { } token && !TokenShape().IsMatch(token))
            errors.Add(new ChannelFieldError(ChannelCredentials.BotToken, "Must be a Discord bot token."));
        if (settings.Text(ApplicationId) is { } application && !Snowflake().IsMatch(application))
            errors.Add(new ChannelFieldError(ApplicationId, "Must be a Discord id (17 to 20 digits)."));
        if (settings.Text(PublicKey) is { } key && !DiscordInteractionSignature.IsValidPublicKey(key))
            errors.Add(new ChannelFieldError(PublicKey, "Must be the application's public key: 64 hexadecimal characters."));
        if (settings.List(GuildChannelIds) is { } channels && channels.Any(c => !Snowflake().IsMatch(c)))
            errors.Add(new ChannelFieldError(GuildChannelIds, "Must be Discord channel ids (17 to 20 digits)."));
        if (settings.Text(GatewayUrl) is { } gateway && !(Uri.TryCreate(gateway, UriKind.Absolute, out var uri) && uri.Scheme is "wss" or "ws"))
            errors.Add(new ChannelFieldError(GatewayUrl, "Must be a ws:// or wss:// URL."));
    }

    public async ValueTask<ChannelSetup> SetUpAsync(ChannelSettings settings, Uri? baseUrl, CancellationToken cancellationToken)
    {
        var token = settings.Text(ChannelCredentials.BotToken)!;
        var bot = await CheckTokenAsync(Guid.NewGuid(), baseUrl, token, cancellationToken);
        var credentials = new Dictionary<string, string>
        {
            [ChannelCredentials.BotToken] = token,
            [ApplicationId] = settings.Text(ApplicationId)!,
            [PublicKey] = settings.Text(PublicKey)!.ToLowerInvariant(),
            [GuildChannelIds] = string.Join(',', settings.List(GuildChannelIds) ?? []),
            [BotUserId] = bot.Id,
        };
        if (settings.Text(GatewayUrl) is { } gateway)
            credentials[GatewayUrl] = gateway;
        return new ChannelSetup(credentials, null);
    }

    public async ValueTask<ChannelSetup> ChangeAsync(ChannelSettings changes, ChannelSetup current, Uri? baseUrl, CancellationToken cancellationToken)
    {
        var credentials = current.Credentials.ToDictionary();
        if (changes.Text(ChannelCredentials.BotToken) is { } token)
        {
            var bot = await CheckTokenAsync(Guid.NewGuid(), baseUrl, token, cancellationToken);
            credentials[ChannelCredentials.BotToken] = token;
            credentials[BotUserId] = bot.Id;
            credentials.Remove(GatewaySessionState); // a new token cannot resume the old token's session
        }
        if (changes.Text(PublicKey) is { } key)
            credentials[PublicKey] = key.ToLowerInvariant();
        if (changes.List(GuildChannelIds) is { } channels)
            credentials[GuildChannelIds] = string.Join(',', channels);
        return current with { Credentials = credentials };
    }

    /// <summary>GET /users/@me with the token: a refused token is a 422 on the field, an unreachable Discord a failure to retry.</summary>
    private async Task<DiscordUser> CheckTokenAsync(Guid probeId, Uri? baseUrl, string token, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.For(probeId, baseUrl, token).GetCurrentUserAsync(cancellationToken);
        }
        catch (DiscordApiException refused) when (refused.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ValidationException([new ValidationFailure(ChannelCredentials.BotToken, "Discord refused this bot token.")]);
        }
    }

    public Uri? InboundUrl(Uri publicBase, Guid connectionId) => new(publicBase, $"webhooks/discord/{connectionId}/interactions");

    /// <summary>The interactions endpoint URL is set by hand in the Developer Portal; the gateway host notices new connections itself.</summary>
    public ValueTask ApplyModeAsync(ChannelEndpoint endpoint, Uri? inboundUrl, ConnectionMode mode, string inboundSecret, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public ValueTask RemoveAsync(ChannelEndpoint endpoint, ConnectionMode mode, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
