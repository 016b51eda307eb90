using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Channels;

/// <summary>
/// A provider reports what became of a message we sent, by its own id (WhatsApp's status webhooks). The status
/// only moves forward (a late "sent" never overwrites "read"), and reaches agents like other message changes.
/// </summary>
/// <param name="Reason">Why it failed, as the provider said it (its error code and title).</param>
public sealed record RecordProviderStatus(Guid ConnectionId, string ProviderMessageId, DeliveryStatus Status, string? Reason) : ICommand;

public sealed class RecordProviderStatusValidator : AbstractValidator<RecordProviderStatus>
{
    public RecordProviderStatusValidator()
    {
        RuleFor(c => c.ProviderMessageId).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Status).Must(s => s is DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Read or DeliveryStatus.Failed);
    }
}

public sealed class RecordProviderStatusHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<RecordProviderStatus>
{
    public async ValueTask<Unit> Handle(RecordProviderStatus command, CancellationToken cancellationToken)
    {
        // Not found yet: the report can overtake the commit of our own send, so the envelope is retried later.
        var message = await db.Messages.FirstOrDefaultAsync(m => m.ConnectionId == command.ConnectionId && m.ProviderMessageId == command.ProviderMessageId
                                                                 && m.Direction == MessageDirection.Outbound, cancellationToken)
                      ?? throw new ProviderMessageNotYetKnownException();
        if (message.RecordDelivery(command.Status, command.ProviderMessageId, command.Reason, clock))
            await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>A status for a message whose send is not recorded yet; retried with the envelope's backoff.</summary>
public sealed class ProviderMessageNotYetKnownException() : Exception("The provider reported on a message whose send is not recorded yet.");
