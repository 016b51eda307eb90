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
/// The pending envelopes are read once per claim, each with its place in its conversation (a window over the
/// pending-by-conversation index), and the heads, the rows locked and the runs are all taken from that one read. Asking
/// "is this the conversation's oldest pending envelope" once per candidate instead made each claim's cost depend on the
/// plan the statistics chose: they are taken when almost nothing is pending, and under a burst's backlog the subquery
/// was then answered by scanning every pending envelope (and the dead index entries the burst left) for every
/// candidate, 0.3-1.2 s a claim (ADR 0021). A NOT EXISTS form before it got a hash anti-join comparing every pending
/// envelope of a conversation with every other. This form costs one scan of what is pending, whichever plan is chosen.
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
                WITH pending AS MATERIALIZED (
                    SELECT e."Id", e."NextAttemptAt", e."LeaseUntil",
                           row_number() OVER conversation AS "Position", first_value(e."Id") OVER conversation AS "Head"
                    FROM "InboundEnvelopes" AS e
                    WHERE e."Status" = 0
                    WINDOW conversation AS (PARTITION BY e."ConnectionId", e."ConversationKey" ORDER BY e."Id")),
                heads AS (
                    SELECT c."Id" FROM "InboundEnvelopes" AS c
                    WHERE c."Id" = ANY (ARRAY(
                        SELECT p."Id" FROM pending AS p
                        WHERE p."Position" = 1 AND p."NextAttemptAt" <= {now} AND (p."LeaseUntil" IS NULL OR p."LeaseUntil" < {now})
                        ORDER BY p."Id"
                        LIMIT {batch}))
                      AND c."Status" = 0 AND (c."LeaseUntil" IS NULL OR c."LeaseUntil" < {now})
                    FOR UPDATE SKIP LOCKED),
                runs AS (
                    SELECT p."Id" FROM pending AS p
                    WHERE p."Position" <= {run} AND p."Head" = ANY (ARRAY(SELECT "Id" FROM heads))),
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
