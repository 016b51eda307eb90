using Microsoft.EntityFrameworkCore;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Workers;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// Claims due outbox rows with a lease; on PostgreSQL without blocking other nodes (FOR UPDATE SKIP LOCKED). A closed
/// workspace's rows wait: nothing goes out in its name (they go if it is reopened).
/// </summary>
internal static class OutboxClaims
{
    public static async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(OneInboxDbContext db, DatabaseProvider provider, DateTimeOffset now,
        TimeSpan lease, int batch, CancellationToken cancellationToken)
    {
        var leaseUntil = now + lease;
        if (provider == DatabaseProvider.Postgres)
        {
            return await db.Database.SqlQuery<ClaimedRow>($"""
                UPDATE "OutboxMessages" AS o SET "LeaseUntil" = {leaseUntil}
                WHERE o."Id" IN (
                    SELECT c."Id" FROM "OutboxMessages" AS c
                    WHERE c."Status" = 0 AND c."NextAttemptAt" <= {now} AND (c."LeaseUntil" IS NULL OR c."LeaseUntil" < {now})
                      AND NOT EXISTS (SELECT 1 FROM "Workspaces" AS w WHERE w."Id" = c."WorkspaceId" AND w."ClosedAt" IS NOT NULL)
                    ORDER BY c."Id"
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED)
                RETURNING o."Id", o."WorkspaceId", NULL::text AS "OrderKey"
                """).ToListAsync(cancellationToken);
        }

        var due = await db.OutboxMessages.IgnoreQueryFilters()
            .Where(o => o.Status == OutboxStatus.Pending && db.Workspaces.Any(w => w.Id == o.WorkspaceId && w.ClosedAt == null))
            .OrderBy(o => o.Id)
            .Select(o => new { o.Id, o.WorkspaceId, o.NextAttemptAt, o.LeaseUntil })
            .Take(batch * 4)
            .ToListAsync(cancellationToken);
        return due.Where(o => o.NextAttemptAt <= now && (o.LeaseUntil is null || o.LeaseUntil < now))
            .Take(batch)
            .Select(o => new ClaimedRow(o.Id, o.WorkspaceId))
            .ToList();
    }
}
