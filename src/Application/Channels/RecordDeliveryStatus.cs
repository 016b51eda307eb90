using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Channels;

/// <summary>
/// The dispatcher reports what became of an outbound message, after the outbox row's outcome is committed.
/// The message's delivery status only moves forward, so a repeated or late report changes nothing.
/// </summary>
/// <param name="Reason">A stable code when it failed: blocked_by_user, chat_not_found, ...</param>
public sealed record RecordDeliveryStatus(Guid MessageId, DeliveryStatus Status, string? Reason, string? ProviderMessageId) : ICommand;

public sealed class RecordDeliveryStatusHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<RecordDeliveryStatus>
{
    public async ValueTask<Unit> Handle(RecordDeliveryStatus command, CancellationToken cancellationToken)
    {
        // Found among tracked messages first: the dispatcher reads a batch's messages in one query.
        var message = await db.Messages.FindAsync([command.MessageId], cancellationToken);
        if (message is not null && message.RecordDelivery(command.Status, command.ProviderMessageId, command.Reason, clock))
            await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
