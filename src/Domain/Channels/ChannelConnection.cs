using OneInbox.Domain.Common;

namespace OneInbox.Domain.Channels;

/// <summary>
/// A workspace's link to one provider account (a Telegram bot, an API integration). Holds the credentials
/// (encrypted by persistence), the secret that authenticates inbound calls, and the health the operators watch.
/// </summary>
public sealed class ChannelConnection : TenantEntity
{
    public const int MaxNameLength = 100;
    public const int MaxErrorLength = 500;

    private ChannelConnection(ChannelType type, string name, string credentials, string inboundSecret, ConnectionMode mode,
        string? baseUrl, string? callbackUrl, DateTimeOffset createdAt)
    {
        Type = type;
        Name = name;
        Credentials = credentials;
        InboundSecret = inboundSecret;
        Mode = mode;
        BaseUrl = baseUrl;
        CallbackUrl = callbackUrl;
        CreatedAt = createdAt;
    }

    public ChannelType Type { get; private set; }

    public string Name { get; private set; }

    /// <summary>Serialised provider credentials (bot token, signing secret); never leaves the server after creation.</summary>
    public string Credentials { get; private set; }

    /// <summary>What inbound calls must present: Telegram's secret_token header, the API channel's bearer token.</summary>
    public string InboundSecret { get; private set; }

    public ConnectionMode Mode { get; private set; }

    /// <summary>The provider API's base URL when it is not the public one (a local Bot API server, a test fake).</summary>
    public string? BaseUrl { get; private set; }

    /// <summary>The API channel's receiver of outbound messages.</summary>
    public string? CallbackUrl { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastInboundAt { get; private set; }

    public DateTimeOffset? LastOutboundAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? LastErrorAt { get; private set; }

    /// <summary>Polling mode: the next getUpdates offset (last update id + 1), so a restart resumes where it stopped.</summary>
    public long? PollingOffset { get; private set; }

    public static ChannelConnection Create(ChannelType type, string name, string credentials, string inboundSecret,
        ConnectionMode mode, string? baseUrl, string? callbackUrl, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new DomainException("channel.nameRequired", "A channel connection needs a name.");
        if (mode == ConnectionMode.Polling && type != ChannelType.Telegram)
            throw new DomainException("channel.pollingUnsupported", "Only Telegram connections can poll for updates.");
        if (type == ChannelType.Api && string.IsNullOrWhiteSpace(callbackUrl))
            throw new DomainException("channel.callbackRequired", "An API channel needs a callback URL for outbound messages.");
        return new ChannelConnection(type, name.Trim(), credentials, inboundSecret, mode, baseUrl, callbackUrl, clock.GetUtcNow());
    }

    public void Rename(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new DomainException("channel.nameRequired", "A channel connection needs a name.");
        Name = name.Trim();
    }

    public void SwitchMode(ConnectionMode mode)
    {
        if (mode == ConnectionMode.Polling && Type != ChannelType.Telegram)
            throw new DomainException("channel.pollingUnsupported", "Only Telegram connections can poll for updates.");
        Mode = mode;
    }

    public void ReplaceCredentials(string credentials) => Credentials = credentials;

    public void ChangeBaseUrl(string? baseUrl) => BaseUrl = baseUrl;

    public void ChangeCallbackUrl(string callbackUrl)
    {
        if (Type != ChannelType.Api)
            throw new DomainException("channel.callbackUnsupported", "Only API channels have a callback URL.");
        CallbackUrl = callbackUrl;
    }

    public void RecordInbound(DateTimeOffset at) => LastInboundAt = at;

    public void RecordOutbound(DateTimeOffset at) => LastOutboundAt = at;

    public void RecordError(string error, DateTimeOffset at)
    {
        LastError = error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
        LastErrorAt = at;
    }

    public void AdvancePollingOffset(long nextOffset)
    {
        if (PollingOffset is null || nextOffset > PollingOffset)
            PollingOffset = nextOffset;
    }
}

public enum ConnectionMode
{
    /// <summary>The provider calls our webhook.</summary>
    Webhook = 0,

    /// <summary>We ask the provider for updates (Telegram getUpdates): for servers without a public URL.</summary>
    Polling = 1,
}
