using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// A provider verifies a webhook URL before it delivers to it (WhatsApp's GET with hub.challenge). The answer, or
/// null when the request does not prove it knows the connection's verify token (or the channel has no handshake).
/// </summary>
public sealed record AnswerWebhookHandshake(Guid ConnectionId, ChannelType Channel, Func<string, string?> Query) : IQuery<string?>;

public sealed class AnswerWebhookHandshakeHandler(IEnumerable<IInboundReceiver> receivers, InboundAuthCache authCache)
    : IQueryHandler<AnswerWebhookHandshake, string?>
{
    public async ValueTask<string?> Handle(AnswerWebhookHandshake query, CancellationToken cancellationToken)
    {
        var receiver = receivers.FirstOrDefault(r => r.Channel == query.Channel);
        if (receiver is null)
            return null;
        var connection = await authCache.FindAsync(query.ConnectionId, cancellationToken);
        if (connection is null)
            return null;
        return connection.Channel == query.Channel ? receiver.AnswerHandshake(connection, query.Query) : null;
    }
}
