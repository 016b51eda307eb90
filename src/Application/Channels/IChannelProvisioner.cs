using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>The installation's side of provisioning: where, under this server's public address, a connection receives.</summary>
public interface IChannelProvisioner
{
    /// <summary>Where the provider delivers inbound traffic for this connection; null when it has no webhook.</summary>
    Uri? InboundUrl(ChannelType type, Guid connectionId);
}
