using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Inbound;

/// <summary>One channel's translation of a stored envelope into the inbox's message shape.</summary>
internal interface IInboundMapper
{
    ChannelType Channel { get; }

    /// <summary>
    /// The message the envelope carries, or null for updates the inbox has no use for (membership changes,
    /// polls). May call the provider (download media, answer a button press); must be safe to repeat.
    /// </summary>
    ValueTask<InboundMessage?> MapAsync(InboundContext context, string payload, CancellationToken cancellationToken);
}

internal sealed record InboundContext(Guid WorkspaceId, ChannelEndpoint Endpoint);
