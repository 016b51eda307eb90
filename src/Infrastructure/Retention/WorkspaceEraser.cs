using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Attachments;
using OneInbox.Application.Common;
using OneInbox.Domain.Common;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Retention;

/// <summary>
/// The end of a closed workspace (privacy policy §4.3, 90 days after closure): its files, its contacts' keys and
/// every row of every table that carries its id, the audit trail included, then the workspace itself. Tables are
/// found from the model, not listed by hand, so a table added later is purged too; they are emptied dependants
/// first, in batches of short statements. Member accounts stay: a person's account is theirs, not the workspace's.
/// </summary>
internal sealed partial class WorkspaceEraser(
    IServiceScopeFactory scopes, IAttachmentStore files, ContactKeyStore keys, RetentionOptions options, ILogger<WorkspaceEraser> logger)
{
    public async Task EraseAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        List<Guid> keyIds;
        List<IEntityType> tables;
        await using (var scope = scopes.CreateWorkspaceScope(workspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            keyIds = await KeysOfAsync(db, cancellationToken);
            tables = DependantsFirst(db.Model);
        }

        // Files and keys before rows: a crash in between leaves rows whose sealed content nobody can read, never
        // files or keys without an owner; the next night's run finishes the rows.
        var removedFiles = await files.DeleteWorkspaceAsync(workspaceId, cancellationToken);
        foreach (var keyId in keyIds)
            keys.Remove(keyId);

        var rows = 0;
        foreach (var table in tables)
            rows += await DeleteRowsAsync(workspaceId, table, cancellationToken);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            rows += await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteDeleteAsync(cancellationToken);
        }
        LogErased(workspaceId, rows, removedFiles, keyIds.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Every key the workspace's sealed texts name (merged contacts' included) and each contact's own.</summary>
    private static async Task<List<Guid>> KeysOfAsync(OneInboxDbContext db, CancellationToken cancellationToken)
    {
        var ids = (await db.Contacts.IgnoreQueryFilters().Where(c => c.WorkspaceId == db.CurrentWorkspaceId).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var (table, column) in new[] { ("Messages", "Text"), ("ContactNotes", "Text") })
        {
            // Table and column names are the constants above; the workspace goes as a parameter.
            var sql = $$"""SELECT DISTINCT substr("{{column}}", 4, 32) AS "Value" FROM "{{table}}" WHERE "WorkspaceId" = {0} AND "{{column}}" LIKE 'c1.%'""";
            var prefixes = await db.Database.SqlQueryRaw<string>(sql, WorkspaceParameter(db, db.CurrentWorkspaceId)).ToListAsync(cancellationToken);
            ids.UnionWith(prefixes.Select(p => Guid.TryParseExact(p, "N", out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty));
        }
        return [.. ids];
    }

    private async Task<int> DeleteRowsAsync(Guid workspaceId, IEntityType entity, CancellationToken cancellationToken)
    {
        var table = entity.GetTableName()!;
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateWorkspaceScope(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var rowId = db.Database.IsNpgsql() ? "ctid" : "rowid";
            var sql = $$"""DELETE FROM "{{table}}" WHERE {{rowId}} IN (SELECT {{rowId}} FROM "{{table}}" WHERE "WorkspaceId" = {0} LIMIT {{options.BatchSize}})""";
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var audit = entity.ClrType == typeof(Domain.Identity.AuditEvent);
            if (audit)
                await AuditAppendOnly.AllowPurgeAsync(db, cancellationToken);
            var deleted = await db.Database.ExecuteSqlRawAsync(sql, [WorkspaceParameter(db, workspaceId)], cancellationToken);
            if (audit)
                await AuditAppendOnly.EndPurgeAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            total += deleted;
            if (deleted < options.BatchSize)
                return total;
            if (options.PauseBetweenBatches > TimeSpan.Zero)
                await Task.Delay(options.PauseBetweenBatches, cancellationToken);
        }
    }

    /// <summary>SQLite keeps ids as upper-case text (EF Core's mapping); PostgreSQL as uuid.</summary>
    private static object WorkspaceParameter(OneInboxDbContext db, Guid workspaceId) =>
        db.Database.IsNpgsql() ? workspaceId : workspaceId.ToString().ToUpperInvariant();

    /// <summary>The tables with a workspace id, ordered so that a row goes before the rows its foreign keys point at.</summary>
    internal static List<IEntityType> DependantsFirst(IModel model)
    {
        var tenant = model.GetEntityTypes()
            .Where(e => e.FindProperty(nameof(ITenantOwned.WorkspaceId)) is not null && e.GetTableName() is not null && !e.IsOwned())
            .DistinctBy(e => e.GetTableName())
            .ToList();
        var ordered = new List<IEntityType>();
        var visiting = new HashSet<IEntityType>();
        void Visit(IEntityType entity)
        {
            if (ordered.Contains(entity) || !visiting.Add(entity))
                return;
            // Whoever points at this table goes first.
            foreach (var dependant in tenant.Where(d => d != entity && d.GetForeignKeys().Any(fk => fk.PrincipalEntityType == entity)))
                Visit(dependant);
            ordered.Add(entity);
        }
        foreach (var entity in tenant)
            Visit(entity);
        return ordered;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed workspace {WorkspaceId} purged for good: {Rows} rows, {Files} files, {Keys} keys in {ElapsedMs:0} ms")]
    private partial void LogErased(Guid workspaceId, int rows, int files, int keys, double elapsedMs);
}
