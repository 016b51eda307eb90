using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Channels;

/// <summary>An operator asks the dispatcher to try a failed delivery again.</summary>
public sealed record ReplayOutbox(Guid ConnectionId, Guid OutboxId) : ICommand<OutboxDto>;

public sealed class ReplayOutboxHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<ReplayOutbox, OutboxDto>
{
    public async ValueTask<OutboxDto> Handle(ReplayOutbox command, CancellationToken cancellationToken)
    {
        var row = await db.OutboxMessages.FirstOrDefaultAsync(o => o.Id == command.OutboxId && o.ConnectionId == command.ConnectionId, cancellationToken)
                  ?? throw new NotFoundException("outbox message", command.OutboxId);
        row.Replay(clock);
        await db.SaveChangesAsync(cancellationToken);
        return new OutboxDto(row.Id, row.MessageId, row.Status, row.Attempts, row.CreatedAt, row.NextAttemptAt, row.SentAt, row.ProviderMessageId, row.LastError);
    }
}
