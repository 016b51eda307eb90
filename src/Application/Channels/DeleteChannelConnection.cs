using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>Disconnect: the webhook is removed at the provider, then the connection with its envelopes and undelivered outbox rows.</summary>
public sealed record DeleteChannelConnection(Guid ConnectionId) : ICommand;

public sealed class DeleteChannelConnectionHandler(IOneInboxDb db, IChannelProvisioner provisioner) : ICommandHandler<DeleteChannelConnection>
{
    public async ValueTask<Unit> Handle(DeleteChannelConnection command, CancellationToken cancellationToken)
    {
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == command.ConnectionId, cancellationToken)
                         ?? throw new NotFoundException("channel connection", command.ConnectionId);
        if (connection.Type == ChannelType.Telegram && connection.Mode == ConnectionMode.Webhook)
            await provisioner.RemoveAsync(connection.Type, connection.ToEndpoint(), cancellationToken);
        db.ChannelConnections.Remove(connection);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
