using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Privacy;
using OneInbox.Domain.Workspaces;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Privacy;

/// <summary>
/// Builds the exports people asked for, one at a time, on whichever node claims one first (a conditional update
/// takes the row for a lease; a node that dies mid-build leaves it to the next after the lease), and deletes exports
/// 7 days after they were ready.
/// </summary>
internal sealed partial class PrivacyExportWorker(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<PrivacyExportWorker> logger)
    : PeriodicWorker(clock, logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(configuration.GetValue("OneInbox:Privacy:ExportIntervalSeconds", 5.0));

    protected internal override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        Guid exportId;
        Guid workspaceId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var candidate = await db.PrivacyExports.IgnoreQueryFilters()
                .Where(e => e.Status == PrivacyExportStatus.Building && (e.ClaimedUntil == null || e.ClaimedUntil < now))
                .OrderBy(e => e.RequestedAt).Select(e => new { e.Id, e.WorkspaceId }).FirstOrDefaultAsync(cancellationToken);
            if (candidate is null)
            {
                await PurgeAsync(db, scope.ServiceProvider.GetRequiredService<IPrivacyExportFiles>(), now, cancellationToken);
                return false;
            }
            var until = now + Lease;
            var claimed = await db.PrivacyExports.IgnoreQueryFilters()
                .Where(e => e.Id == candidate.Id && e.Status == PrivacyExportStatus.Building && (e.ClaimedUntil == null || e.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntil, until), cancellationToken);
            if (claimed == 0)
                return true;
            (exportId, workspaceId) = (candidate.Id, candidate.WorkspaceId);
        }

        await using var work = scopes.CreateWorkspaceScope(workspaceId);
        var workDb = work.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var export = await workDb.PrivacyExports.FirstAsync(e => e.Id == exportId, cancellationToken);
        try
        {
            var (storageKey, size) = await work.ServiceProvider.GetRequiredService<IPrivacyExportFiles>().BuildAsync(workspaceId, export.ContactId, cancellationToken);
            var keptDays = await workDb.RetentionSettings.Select(r => (int?)r.ExportDays).FirstOrDefaultAsync(cancellationToken) ?? RetentionSettings.DefaultExportDays;
            export.Ready(storageKey, size, keptDays, Clock);
            work.ServiceProvider.GetRequiredService<IAuditLog>().Record("privacy.export_ready", export.RequestId.ToString(), $"{size} bytes", workspaceId, "system");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBuildFailed(exportId, ex.GetType().Name);
            export.Fail($"The export could not be built ({ex.GetType().Name}); start it again.");
        }
        await workDb.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static async Task PurgeAsync(OneInboxDbContext db, IPrivacyExportFiles files, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var old = await db.PrivacyExports.IgnoreQueryFilters()
            .Where(e => e.Status == PrivacyExportStatus.Ready && e.DeleteAfter < now).OrderBy(e => e.Id).Take(100).ToListAsync(cancellationToken);
        if (old.Count == 0)
            return;
        foreach (var export in old)
        {
            if (export.StorageKey is { } key)
                await files.DeleteAsync(key, cancellationToken);
            export.Delete();
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Privacy export {ExportId} failed with {ExceptionType}")]
    private partial void LogBuildFailed(Guid exportId, string exceptionType);
}
