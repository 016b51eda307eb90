using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Inbound;

/// <summary>
/// One envelope, one insert through the unit of work: the embedded (SQLite) store, where a single writer
/// serialises commits anyway and group commit would gain nothing.
/// </summary>
internal sealed class EfEnvelopeStore(OneInboxDbContext db, WorkspaceContext workspace) : IInboundEnvelopeStore
{
    public async ValueTask<EnvelopeStoreResult> AddAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        workspace.Enter(envelope.WorkspaceId);
        db.InboundEnvelopes.Add(envelope);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return EnvelopeStoreResult.Stored;
        }
        catch (DbUpdateException)
        {
            // The unique key refused the insert: a redelivery, or a concurrent copy that won. Anything else rethrows.
            db.ClearTracked();
            if (await db.InboundEnvelopes.IgnoreQueryFilters().AsNoTracking()
                    .AnyAsync(e => e.ConnectionId == envelope.ConnectionId && e.ProviderId == envelope.ProviderId, cancellationToken))
                return EnvelopeStoreResult.Duplicate;
            if (!await db.ChannelConnections.IgnoreQueryFilters().AnyAsync(c => c.Id == envelope.ConnectionId, cancellationToken))
                return EnvelopeStoreResult.ConnectionGone;
            throw;
        }
    }
}
