using Microsoft.EntityFrameworkCore;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Identity;

/// <summary>
/// Audit rows are append-only in the database itself, not only in the code: a trigger refuses every UPDATE and DELETE
/// of "AuditEvents". The retention purge (and a closed workspace's final purge) is the one exception: on PostgreSQL it
/// sets the transaction-local setting <c>oneinbox.audit_purge</c>; on SQLite, whose triggers cannot read a session
/// setting, it holds a row of "AuditPurgeGate" inside its transaction (SQLite has one writer, so no other write sees
/// that row). The triggers are installed after the migrations on every start; installing them is idempotent.
/// </summary>
internal static class AuditAppendOnly
{
    private const string PostgresInstall = """
        SELECT pg_advisory_xact_lock(hashtext('oneinbox:audit-append-only'));
        CREATE OR REPLACE FUNCTION oneinbox_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'DELETE' AND current_setting('oneinbox.audit_purge', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
        END
        $fn$;
        DROP TRIGGER IF EXISTS audit_events_append_only ON "AuditEvents";
        CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "AuditEvents"
            FOR EACH ROW EXECUTE FUNCTION oneinbox_audit_append_only();
        """;

    private const string SqliteInstall = """
        CREATE TABLE IF NOT EXISTS "AuditPurgeGate" ("Open" INTEGER NOT NULL);
        DROP TRIGGER IF EXISTS audit_events_no_update;
        CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON "AuditEvents"
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        DROP TRIGGER IF EXISTS audit_events_no_delete;
        CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON "AuditEvents"
            WHEN NOT EXISTS (SELECT 1 FROM "AuditPurgeGate")
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        """;

    public static async Task InstallAsync(OneInboxDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(PostgresInstall, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync(SqliteInstall, cancellationToken);
        }
    }

    /// <summary>Opens the purge path for the current transaction (which the caller began and will commit).</summary>
    public static async Task AllowPurgeAsync(OneInboxDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT set_config('oneinbox.audit_purge', 'on', true)", cancellationToken);
        }
        else if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "AuditPurgeGate" ("Open") VALUES (1)""", cancellationToken);
        }
    }

    /// <summary>Closes the SQLite gate before the transaction commits (PostgreSQL's setting ends with the transaction).</summary>
    public static async Task EndPurgeAsync(OneInboxDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditPurgeGate" """, cancellationToken);
    }
}
