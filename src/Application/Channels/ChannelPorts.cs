using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>Provider-side setup of a connection: Telegram's setWebhook/deleteWebhook when a connection is made or changes mode.</summary>
public interface IChannelProvisioner
{
    /// <summary>Where the provider delivers inbound traffic for this connection; null when it has no webhook.</summary>
    Uri? InboundUrl(ChannelType type, Guid connectionId);

    /// <summary>Brings the provider in line with the connection's mode (register or remove the webhook).</summary>
    ValueTask ApplyModeAsync(ChannelType type, ChannelEndpoint endpoint, ConnectionMode mode, string inboundSecret, CancellationToken cancellationToken);

    /// <summary>Undoes the provider-side setup before the connection is deleted.</summary>
    ValueTask RemoveAsync(ChannelType type, ChannelEndpoint endpoint, CancellationToken cancellationToken);
}

/// <summary>Reads what the receiver must know of a raw inbound payload before storing it.</summary>
public interface IInboundPayloadReader
{
    ChannelType Channel { get; }

    /// <summary>The provider id (dedupe key) and conversation key, or null when the payload is not one we understand.</summary>
    InboundKeys? Read(ReadOnlySpan<byte> body);
}

public sealed record InboundKeys(string ProviderId, string ConversationKey);
