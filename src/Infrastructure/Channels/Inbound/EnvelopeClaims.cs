using Microsoft.EntityFrameworkCore;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Channels.Inbound;

/// <summary>
/// Claims the next envelopes to process: conversations whose oldest pending envelope is due, each with the run of its
/// pending envelopes behind it (at most <c>run</c>), so a conversation's messages reach the inbox in order, a backlog in
/// one conversation drains a run per claim rather than one envelope, and different conversations run side by side.
/// Only a conversation's oldest envelope is ever claimed on its own; the rest only with it, so whoever holds it holds
/// the conversation. On PostgreSQL several nodes claim at once without blocking each other (FOR UPDATE SKIP LOCKED)
/// and a claim is a lease: a node that dies releases its rows when the lease runs out.
/// "Is this the conversation's oldest pending envelope" is a scalar subquery on purpose: written as NOT EXISTS, the
/// planner's generic plan chose a hash anti-join whose filter compared every pending envelope of a conversation with
/// every other (27 million comparisons, 1.6 s per claim, at a backlog of 8,000 in one chat); this form is one index
/// probe per candidate (48 ms for the same backlog).
/// </summary>
internal static class EnvelopeClaims
{
    public static async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(OneInboxDbContext db, DatabaseProvider provider, DateTimeOffset now,
        TimeSpan lease, int batch, int run, CancellationToken cancellationToken)
    {
        var leaseUntil = now + lease;
        if (provider == DatabaseProvider.Postgres)
        {
            return await db.Database.SqlQuery<ClaimedRow>($"""
                WITH heads AS (
                    SELECT c."ConnectionId", c."ConversationKey" FROM "InboundEnvelopes" AS c
                    WHERE c."Status" = 0 AND c."NextAttemptAt" <= {now} AND (c."LeaseUntil" IS NULL OR c."LeaseUntil" < {now})
                      AND c."Id" = (
                          SELECT p."Id" FROM "InboundEnvelopes" AS p
                          WHERE p."ConnectionId" = c."ConnectionId" AND p."ConversationKey" = c."ConversationKey" AND p."Status" = 0
                          ORDER BY p."Id"
                          LIMIT 1)
                    ORDER BY c."Id"
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED),
                runs AS (
                    SELECT r."Id" FROM heads AS h
                    CROSS JOIN LATERAL (
                        SELECT f."Id" FROM "InboundEnvelopes" AS f
                        WHERE f."ConnectionId" = h."ConnectionId" AND f."ConversationKey" = h."ConversationKey" AND f."Status" = 0
                        ORDER BY f."Id"
                        LIMIT {run}) AS r),
                claimed AS (
                    UPDATE "InboundEnvelopes" AS e SET "LeaseUntil" = {leaseUntil}
                    WHERE e."Id" IN (SELECT "Id" FROM runs)
                    RETURNING e."Id", e."WorkspaceId", e."ConnectionId"::text || '/' || e."ConversationKey" AS "OrderKey")
                SELECT "Id", "WorkspaceId", "OrderKey" FROM claimed ORDER BY "Id"
                """).ToListAsync(cancellationToken);
        }

        // SQLite is the single-node embedded setup: one in-process loop is the only claimer, and it works off all it
        // claimed before it claims again, so no lease is needed.
        var pending = await db.InboundEnvelopes.IgnoreQueryFilters()
            .Where(e => e.Status == EnvelopeStatus.Pending)
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.WorkspaceId, e.ConnectionId, e.ConversationKey, e.NextAttemptAt, e.LeaseUntil })
            .Take(batch * run)
            .ToListAsync(cancellationToken);
        return pending
            .GroupBy(e => (e.ConnectionId, e.ConversationKey))
            .Where(g => g.First() is var head && head.NextAttemptAt <= now && (head.LeaseUntil is null || head.LeaseUntil < now))
            .Take(batch)
            .SelectMany(g => g.Take(run).Select(e => new ClaimedRow(e.Id, e.WorkspaceId, $"{e.ConnectionId}/{e.ConversationKey}")))
            .ToList();
    }
}
