using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Channels;

/// <summary>Disconnect: the provider-side setup is undone (a webhook removed), then the connection goes with its envelopes and undelivered outbox rows.</summary>
public sealed record DeleteChannelConnection(Guid ConnectionId) : ICommand;

public sealed class DeleteChannelConnectionHandler(IOneInboxDb db, ChannelModules modules, InboundAuthCache authCache) : ICommandHandler<DeleteChannelConnection>
{
    public async ValueTask<Unit> Handle(DeleteChannelConnection command, CancellationToken cancellationToken)
    {
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == command.ConnectionId, cancellationToken)
                         ?? throw new NotFoundException("channel connection", command.ConnectionId);
        await modules.For(connection.Type).RemoveAsync(connection.ToEndpoint(), connection.Mode, cancellationToken);
        db.ChannelConnections.Remove(connection);
        await db.SaveChangesAsync(cancellationToken);
        authCache.Forget(connection.Id);
        return Unit.Value;
    }
}
