using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Contacts;

/// <summary>Unlinks a channel account; its next message creates a new contact.</summary>
public sealed record RemoveChannelIdentity(Guid ContactId, Guid IdentityId) : ICommand<Unit>;

public sealed class RemoveChannelIdentityHandler(IOneInboxDb db) : ICommandHandler<RemoveChannelIdentity, Unit>
{
    public async ValueTask<Unit> Handle(RemoveChannelIdentity command, CancellationToken cancellationToken)
    {
        var identity = await db.ChannelIdentities.FirstOrDefaultAsync(i => i.Id == command.IdentityId && i.ContactId == command.ContactId, cancellationToken)
            ?? throw new NotFoundException("Channel identity", command.IdentityId);
        db.ChannelIdentities.Remove(identity);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
