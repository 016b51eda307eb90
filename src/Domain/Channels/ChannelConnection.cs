using OneInbox.Domain.Common;

namespace OneInbox.Domain.Channels;

/// <summary>
/// A workspace's link to one provider account (a Telegram bot, a WhatsApp business number, an API integration). Holds the credentials
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

    /// <summary>What inbound calls must present: Telegram's secret_token header, the API channel's bearer token, WhatsApp's verify token.</summary>
    public string InboundSecret { get; private set; }

    public ConnectionMode Mode { get; private set; }

    /// <summary>The provider API's base URL when it is not the public one (a local Bot API server, a test fake).</summary>
    public string? BaseUrl { get; private set; }

    /// <summary>Where outbound messages go for channels that call out to the business's own server (the API channel).</summary>
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
        return new ChannelConnection(type, name.Trim(), credentials, inboundSecret, mode, baseUrl, callbackUrl, clock.GetUtcNow());
    }

    public void Rename(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new DomainException("channel.nameRequired", "A channel connection needs a name.");
        Name = name.Trim();
    }

    /// <summary>Which modes a channel supports is its module's knowledge; the command checks it before.</summary>
    public void SwitchMode(ConnectionMode mode) => Mode = mode;

    public void ReplaceCredentials(string credentials) => Credentials = credentials;

    public void ChangeBaseUrl(string? baseUrl) => BaseUrl = baseUrl;

    public void ChangeCallbackUrl(string callbackUrl)
    {
        if (string.IsNullOrWhiteSpace(callbackUrl))
            throw new DomainException("channel.callbackRequired", "A callback URL cannot be empty.");
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
