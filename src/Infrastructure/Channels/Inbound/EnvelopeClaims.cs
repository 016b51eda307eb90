using Microsoft.EntityFrameworkCore;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Channels.Inbound;

/// <summary>
/// Claims the next envelopes to process: only the oldest pending envelope of each conversation, so one
/// conversation's messages reach the inbox in order while different conversations run side by side.
/// On PostgreSQL several nodes claim at once without blocking each other (FOR UPDATE SKIP LOCKED) and a claim
/// is a lease: a node that dies releases its rows when the lease runs out.
/// </summary>
internal static class EnvelopeClaims
{
    public static async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(OneInboxDbContext db, DatabaseProvider provider, DateTimeOffset now,
        TimeSpan lease, int batch, CancellationToken cancellationToken)
    {
        var leaseUntil = now + lease;
        if (provider == DatabaseProvider.Postgres)
        {
            return await db.Database.SqlQuery<ClaimedRow>($"""
                UPDATE "InboundEnvelopes" AS e SET "LeaseUntil" = {leaseUntil}
                WHERE e."Id" IN (
                    SELECT c."Id" FROM "InboundEnvelopes" AS c
                    WHERE c."Status" = 0 AND c."NextAttemptAt" <= {now} AND (c."LeaseUntil" IS NULL OR c."LeaseUntil" < {now})
                      AND NOT EXISTS (
                          SELECT 1 FROM "InboundEnvelopes" AS p
                          WHERE p."ConnectionId" = c."ConnectionId" AND p."ConversationKey" = c."ConversationKey"
                            AND p."Status" = 0 AND p."Id" < c."Id")
                    ORDER BY c."Id"
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED)
                RETURNING e."Id", e."WorkspaceId"
                """).ToListAsync(cancellationToken);
        }

        // SQLite is the single-node embedded setup: one in-process loop is the only claimer.
        var pending = await db.InboundEnvelopes.IgnoreQueryFilters()
            .Where(e => e.Status == EnvelopeStatus.Pending)
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.WorkspaceId, e.ConnectionId, e.ConversationKey, e.NextAttemptAt, e.LeaseUntil })
            .Take(batch * 20)
            .ToListAsync(cancellationToken);
        return pending
            .GroupBy(e => (e.ConnectionId, e.ConversationKey))
            .Select(g => g.First())
            .Where(e => e.NextAttemptAt <= now && (e.LeaseUntil is null || e.LeaseUntil < now))
            .Take(batch)
            .Select(e => new ClaimedRow(e.Id, e.WorkspaceId))
            .ToList();
    }
}
