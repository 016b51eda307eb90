using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Channels;

/// <summary>An operator sends a parked envelope through the processor again (after fixing what made it fail).</summary>
public sealed record ReplayEnvelope(Guid ConnectionId, Guid EnvelopeId) : ICommand<EnvelopeDto>;

public sealed class ReplayEnvelopeHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<ReplayEnvelope, EnvelopeDto>
{
    public async ValueTask<EnvelopeDto> Handle(ReplayEnvelope command, CancellationToken cancellationToken)
    {
        var envelope = await db.InboundEnvelopes.FirstOrDefaultAsync(e => e.Id == command.EnvelopeId && e.ConnectionId == command.ConnectionId, cancellationToken)
                       ?? throw new NotFoundException("envelope", command.EnvelopeId);
        envelope.Replay(clock);
        await db.SaveChangesAsync(cancellationToken);
        return new EnvelopeDto(envelope.Id, envelope.ProviderId, envelope.Status, envelope.Attempts, envelope.ReceivedAt,
            envelope.NextAttemptAt, envelope.ProcessedAt, envelope.LastError);
    }
}
