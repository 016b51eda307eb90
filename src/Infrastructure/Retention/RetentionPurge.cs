using OneInbox.Application.Attachments;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Retention;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Workspaces;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Retention;

/// <summary>
/// Deletes what a workspace's retention settings say has expired: messages with their attachment files, the
/// automation journal, processed provider payloads and sent outbox rows, audit events. Conversation and contact rows
/// stay (with the timestamps reports are computed from). A legal hold on the workspace keeps everything; one on a
/// contact keeps that contact's messages and journal. Work goes in batches of short statements, each its own
/// transaction, with a pause between them, so ingestion never waits long on a lock (ADR 0009).
/// </summary>
internal sealed partial class RetentionPurge(
    IServiceScopeFactory scopes, ClusterLock cluster, IAttachmentStore files, WorkspaceEraser eraser, RetentionOptions options,
    TimeProvider clock, ILogger<RetentionPurge> logger) : IRetentionPurge
{
    public const string Actor = "retention-job";

    /// <summary>One purge at a time in the installation.</summary>
    private const string PurgeLockName = "retention-purge";

    public async Task<PurgeReport> PurgeWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var held = await cluster.TryAcquireAsync(PurgeLockName, TimeSpan.FromSeconds(5), cancellationToken)
                               ?? throw new ServiceUnavailableException("A purge is running; try again in a minute.", TimeSpan.FromSeconds(60));
        return await PurgeAsync(workspaceId, cancellationToken);
    }

    /// <summary>
    /// The nightly run, on the one node that holds the lock (the others skip): closed workspaces past their grace period
    /// are erased for good (<see cref="WorkspaceEraser"/>); every other workspace is purged of what has expired.
    /// </summary>
    public async Task<IReadOnlyList<PurgeReport>> PurgeAllAsync(CancellationToken cancellationToken)
    {
        await using var held = await cluster.TryAcquireAsync(PurgeLockName, TimeSpan.Zero, cancellationToken);
        if (held is null)
            return [];
        var now = clock.GetUtcNow();
        List<(Guid Id, DateTimeOffset? PurgeAt)> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
            workspaces = (await scope.ServiceProvider.GetRequiredService<OneInboxDbContext>().Workspaces.AsNoTracking()
                .Select(w => new { w.Id, w.PurgeAt }).ToListAsync(cancellationToken)).Select(w => (w.Id, w.PurgeAt)).ToList();
        var reports = new List<PurgeReport>();
        foreach (var workspace in workspaces)
        {
            if (workspace.PurgeAt <= now)
                await eraser.EraseAsync(workspace.Id, cancellationToken);
            else
                reports.Add(await PurgeAsync(workspace.Id, cancellationToken));
        }
        return reports;
    }

    private async Task<PurgeReport> PurgeAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        RetentionSettings settings;
        List<Guid?> holds;
        await using (var scope = EnterWorkspace(workspaceId, out var db))
        {
            settings = await db.RetentionSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? RetentionSettings.Defaults(workspaceId);
            holds = await db.LegalHolds.AsNoTracking().Where(h => h.ReleasedAt == null).Select(h => h.ContactId).ToListAsync(cancellationToken);
        }

        int messages = 0, deletedFiles = 0, journal = 0, payloads = 0, audit = 0;
        var workspaceHeld = holds.Any(h => h is null);
        if (!workspaceHeld)
        {
            var heldContacts = holds.OfType<Guid>().ToList();
            if (settings.MessageDays is { } messageDays)
                (messages, deletedFiles) = await PurgeMessagesAsync(workspaceId, now.AddDays(-messageDays), heldContacts, cancellationToken);
            journal = await PurgeJournalAsync(workspaceId, now.AddDays(-settings.JournalDays), heldContacts, cancellationToken);
            payloads = await PurgePayloadsAsync(workspaceId, now.AddDays(-settings.ProcessedPayloadDays), cancellationToken);
            audit = await PurgeAuditAsync(workspaceId, now.AddDays(-settings.AuditDays), cancellationToken);
        }

        var report = new PurgeReport(workspaceId, messages, deletedFiles, journal, payloads, audit, workspaceHeld,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, clock.GetUtcNow());
        await using (var scope = EnterWorkspace(workspaceId, out var db))
        {
            db.AuditEvents.Add(AuditEvent.Record(workspaceId, PurgeReport.AuditAction, Actor, workspaceId.ToString(), null, report.Details(), clock));
            await db.SaveChangesAsync(cancellationToken);
        }
        LogPurged(workspaceId, messages, deletedFiles, journal, payloads, audit, report.ElapsedMs);
        return report;
    }

    private async Task<(int Messages, int Files)> PurgeMessagesAsync(Guid workspaceId, DateTimeOffset cutoff, List<Guid> heldContacts, CancellationToken cancellationToken)
    {
        int messages = 0, removed = 0;
        while (true)
        {
            await using var scope = EnterWorkspace(workspaceId, out var db);
            var expired = db.Messages.Where(m => m.CreatedAt < cutoff);
            if (heldContacts.Count > 0)
                expired = expired.Where(m => !db.Conversations.Any(c => c.Id == m.ConversationId && heldContacts.Contains(c.ContactId)));
            // Ids are time-ordered, so the oldest (expired) rows come first on the primary key.
            var batch = await expired.OrderBy(m => m.Id).Take(options.BatchSize).Select(m => new { m.Id, m.Attachments }).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                return (messages, removed);

            var keys = batch.SelectMany(m => m.Attachments).Select(a => a.StorageKey).OfType<string>().Distinct().ToList();
            // Files first: a crash between the two steps leaves a message without its file, never a file without an owner.
            foreach (var key in keys)
            {
                if (await files.DeleteAsync(key, cancellationToken))
                    removed++;
            }
            if (keys.Count > 0)
                await db.Attachments.Where(a => keys.Contains(a.StorageKey)).ExecuteDeleteAsync(cancellationToken);
            var ids = batch.Select(m => m.Id).ToList();
            messages += await db.Messages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
            await PauseAsync(cancellationToken);
        }
    }

    private async Task<int> PurgeJournalAsync(Guid workspaceId, DateTimeOffset cutoff, List<Guid> heldContacts, CancellationToken cancellationToken)
    {
        await using var scope = EnterWorkspace(workspaceId, out var db);
        var expired = db.FlowJournal.Where(j => j.StartedAt < cutoff);
        if (heldContacts.Count > 0)
        {
            var heldInstances = db.FlowInstances.Where(i => db.Conversations.Any(c => c.Id == i.ConversationId && heldContacts.Contains(c.ContactId))).Select(i => i.Id);
            expired = expired.Where(j => !heldInstances.Contains(j.InstanceId));
        }
        return await DeleteInBatchesAsync(db.FlowJournal, expired, cancellationToken);
    }

    private async Task<int> PurgePayloadsAsync(Guid workspaceId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var scope = EnterWorkspace(workspaceId, out var db);
        var envelopes = await DeleteInBatchesAsync(db.InboundEnvelopes, db.InboundEnvelopes.Where(e => e.Status == EnvelopeStatus.Processed && e.ProcessedAt < cutoff), cancellationToken);
        var outbox = await DeleteInBatchesAsync(db.OutboxMessages, db.OutboxMessages.Where(o => o.Status == OutboxStatus.Sent && o.SentAt < cutoff), cancellationToken);
        return envelopes + outbox;
    }

    /// <summary>
    /// The one path allowed to delete audit rows: on PostgreSQL the append-only trigger lets a delete through only in a
    /// transaction that set <c>oneinbox.audit_purge</c>.
    /// </summary>
    private async Task<int> PurgeAuditAsync(Guid workspaceId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var scope = EnterWorkspace(workspaceId, out var db);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await AuditAppendOnly.AllowPurgeAsync(db, cancellationToken);
            var batch = db.AuditEvents.Where(e => e.WorkspaceId == workspaceId && e.OccurredAt < cutoff && e.Action != PurgeReport.AuditAction)
                .OrderBy(e => e.Id).Take(options.BatchSize).Select(e => e.Id);
            var deleted = await db.AuditEvents.Where(e => batch.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            await AuditAppendOnly.EndPurgeAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            total += deleted;
            if (deleted < options.BatchSize)
                return total;
            await PauseAsync(cancellationToken);
        }
    }

    private async Task<int> DeleteInBatchesAsync<T>(DbSet<T> rows, IQueryable<T> expired, CancellationToken cancellationToken) where T : Entity
    {
        int total = 0, deleted;
        do
        {
            var batch = expired.OrderBy(r => r.Id).Take(options.BatchSize).Select(r => r.Id);
            deleted = await rows.Where(r => batch.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted > 0)
                await PauseAsync(cancellationToken);
        }
        while (deleted == options.BatchSize);
        return total;
    }

    private Task PauseAsync(CancellationToken cancellationToken) =>
        options.PauseBetweenBatches > TimeSpan.Zero ? Task.Delay(options.PauseBetweenBatches, cancellationToken) : Task.CompletedTask;

    private AsyncServiceScope EnterWorkspace(Guid workspaceId, out OneInboxDbContext db)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        return scope;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged workspace {WorkspaceId}: {Messages} messages, {Files} files, {Journal} journal entries, {Payloads} payloads, {Audit} audit events in {ElapsedMs:0} ms")]
    private partial void LogPurged(Guid workspaceId, int messages, int files, int journal, int payloads, int audit, double elapsedMs);
}

/// <summary>Settings of the purge job (<c>OneInbox:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "OneInbox:Retention";

    /// <summary>Runs the nightly purge on this node (the advisory lock still lets only one node purge).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>When the nightly run starts, in UTC.</summary>
    public TimeSpan NightlyAt { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Rows per statement: small enough that no statement holds locks for long.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>A breath between batches, so webhooks and the inbox keep their share of the database.</summary>
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(20);
}
