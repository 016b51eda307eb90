using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>Brings the schema up to date before the server takes requests (unless switched off), one node at a time.</summary>
internal sealed partial class DatabaseMigrator(IServiceProvider services, IOptions<OneInboxOptions> options, ClusterLock cluster, TimeProvider clock, ILogger<DatabaseMigrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
            return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        if (db.Database.IsSqlite())
        {
            // Readers do not block the writer (the background processors write while the API reads).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        // Nodes starting together on a fresh database: one migrates, the others then find nothing pending.
        await using var migrating = await cluster.AcquireAsync("migrate", cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // Npgsql's migrations learn whether the history table exists by reading it, and EF logs that read failing on
            // a fresh database as an Error (npgsql/efcore.pg#3407): an operator's first start would show one. EF's own
            // script creates the table first when it is missing.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (pending > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(pending, db.Database.ProviderName ?? "database");
        }
        await Identity.AuditAppendOnly.InstallAsync(db, cancellationToken);
        // Live report counting starts now, before this node takes any work; older history is the backfill's.
        if (!await db.ReportEpochs.AnyAsync(cancellationToken))
        {
            db.ReportEpochs.Add(Domain.Reports.ReportEpoch.StartingAt(clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s) to the {Provider} database")]
    private partial void LogMigrated(int count, string provider);
}
