using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Reports;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Reports;

/// <summary>
/// Counts each workspace's history from before live counting began (<see cref="ReportEpoch.LiveSince"/>), once: the
/// conversations opened, resolved and first answered, the messages in and out, as report deltas written in one
/// transaction with the workspace's <see cref="ReportBackfill"/> mark. Events after the epoch were counted live, so
/// nothing is counted twice. What the rows no longer tell is not invented: reopenings before the epoch are unknown, and
/// a conversation's team and agent are those it has now.
/// </summary>
internal sealed partial class ReportBackfiller(IServiceScopeFactory scopes, ClusterLock cluster, ReportOptions options, TimeProvider clock, ILogger<ReportBackfiller> logger)
    : PeriodicWorker(clock, logger)
{
    private const string LockName = "report-backfill";

    protected override TimeSpan Interval => options.BackfillEvery;

    protected internal override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await cluster.TryAcquireAsync(LockName, TimeSpan.Zero, cancellationToken);
        if (held is null)
            return false;
        await BackfillAllAsync(cancellationToken);
        return false;
    }

    /// <summary>Every workspace not yet backfilled; the number backfilled.</summary>
    internal async Task<int> BackfillAllAsync(CancellationToken cancellationToken)
    {
        List<Guid> pending;
        DateTimeOffset? liveSince;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            liveSince = await db.ReportEpochs.OrderBy(e => e.Id).Select(e => (DateTimeOffset?)e.LiveSince).FirstOrDefaultAsync(cancellationToken);
            pending = await db.Workspaces.Where(w => !db.ReportBackfills.IgnoreQueryFilters().Any(b => b.WorkspaceId == w.Id)).Select(w => w.Id).ToListAsync(cancellationToken);
        }
        if (liveSince is not { } epoch)
            return 0;
        foreach (var workspaceId in pending)
            await BackfillAsync(workspaceId, epoch, cancellationToken);
        return pending.Count;
    }

    private async Task BackfillAsync(Guid workspaceId, DateTimeOffset epoch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var conversations = await db.Conversations.IgnoreQueryFilters().AsNoTracking().Where(c => c.WorkspaceId == workspaceId)
            .Select(c => new { c.Id, c.ConnectionId, c.Channel, c.TeamId, c.AssigneeId, c.CreatedAt, c.FirstResponseAt, c.ResolvedAt, c.Rating, c.RatedAt, c.Labels })
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var deltas = new Dictionary<ReportKey, ReportDelta>();
        ReportEvent At(Guid connection, Domain.Channels.ChannelType channel, Guid? team, Guid? agent, DateTimeOffset when, IEnumerable<string> labels) =>
            ReportEvent.Of(new ReportKey(ReportCounts.HourOf(when), connection, channel, team ?? Guid.Empty, agent ?? Guid.Empty), labels, deltas, workspaceId);

        var counted = 0;
        foreach (var c in conversations.Values)
        {
            if (c.CreatedAt < epoch)
            {
                At(c.ConnectionId, c.Channel, c.TeamId, c.AssigneeId, c.CreatedAt, c.Labels).Count(opened: 1);
                counted++;
            }
            var key = new ReportKey(default, c.ConnectionId, c.Channel, c.TeamId ?? Guid.Empty, c.AssigneeId ?? Guid.Empty);
            if (c.RatedAt is { } rated && rated < epoch && c.Rating is { } score)
                At(c.ConnectionId, c.Channel, c.TeamId, c.AssigneeId, rated, c.Labels).CountRating(score);
            if (c.ResolvedAt is { } resolved && resolved < epoch)
            {
                At(c.ConnectionId, c.Channel, c.TeamId, c.AssigneeId, resolved, c.Labels).Count(resolved: 1);
                db.ReportDurations.Add(ReportDuration.Measure(ReportDurationKind.Resolution, c.CreatedAt, resolved, key, workspaceId, c.Labels));
            }
        }

        var messages = 0;
        // Who wrote first: a first response is measured when the customer did (as live counting does).
        var firsts = new Dictionary<Guid, (DateTimeOffset? In, DateTimeOffset? Out)>();
        var rows = db.Messages.IgnoreQueryFilters().AsNoTracking().Where(m => m.WorkspaceId == workspaceId && m.CreatedAt < epoch)
            .Select(m => new { m.ConversationId, m.CreatedAt, m.Direction, m.IsPrivate, m.AuthorType, m.AuthorUserId });
        await foreach (var m in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!conversations.TryGetValue(m.ConversationId, out var c))
                continue;
            if (!m.IsPrivate)
            {
                var (firstIn, firstOut) = firsts.GetValueOrDefault(m.ConversationId);
                firsts[m.ConversationId] = m.Direction == MessageDirection.Inbound
                    ? (firstIn is null || m.CreatedAt < firstIn ? m.CreatedAt : firstIn, firstOut)
                    : (firstIn, firstOut is null || m.CreatedAt < firstOut ? m.CreatedAt : firstOut);
            }
            if (m.Direction == MessageDirection.Inbound)
                At(c.ConnectionId, c.Channel, c.TeamId, c.AssigneeId, m.CreatedAt, c.Labels).Count(messagesIn: 1);
            else if (!m.IsPrivate)
                At(c.ConnectionId, c.Channel, c.TeamId, m.AuthorType == MessageAuthorType.Agent ? m.AuthorUserId : c.AssigneeId, m.CreatedAt, c.Labels).Count(messagesOut: 1);
            else
                continue;
            messages++;
        }

        foreach (var c in conversations.Values.Where(c => c.FirstResponseAt < epoch))
        {
            // Without messages left (retention took them) the customer is taken to have written first, as they mostly do.
            var customerFirst = !firsts.TryGetValue(c.Id, out var first) || (first.In is { } wrote && (first.Out is null || wrote <= first.Out));
            if (customerFirst)
                db.ReportDurations.Add(ReportDuration.Measure(ReportDurationKind.FirstResponse, c.CreatedAt, c.FirstResponseAt!.Value,
                    new ReportKey(default, c.ConnectionId, c.Channel, c.TeamId ?? Guid.Empty, c.AssigneeId ?? Guid.Empty), workspaceId, c.Labels));
        }
        db.ReportDeltas.AddRange(deltas.Values);
        await BackfillFlowsAsync(db, workspaceId, epoch, cancellationToken);
        db.ReportBackfills.Add(ReportBackfill.Done(workspaceId, counted, messages, Clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        LogBackfilled(workspaceId, counted, messages);
    }

    /// <summary>
    /// The flow runs before the epoch, read back from the instances and the journal (kept a year): starts, ends, arrivals,
    /// outcomes, refused answers and hand-offs, as live counting counts them. A step is an arrival unless the entry before
    /// it waited at the same node (then an answer, a timer or a release resumed it). Runs stopped for their maximum
    /// duration left no entry, so they count as stopped but not as handed off.
    /// </summary>
    private static async Task BackfillFlowsAsync(OneInboxDbContext db, Guid workspaceId, DateTimeOffset epoch, CancellationToken cancellationToken)
    {
        var instances = await db.FlowInstances.IgnoreQueryFilters().AsNoTracking().Where(i => i.WorkspaceId == workspaceId && i.StartedAt < epoch)
            .Select(i => new { i.Id, i.FlowId, i.Version, i.StartedAt, i.Status, i.UpdatedAt, i.CurrentNodeId })
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        var tallies = new Dictionary<(DateTimeOffset Hour, Guid FlowId, int Version), FlowTally>();
        FlowTally At(Guid flowId, int version, DateTimeOffset when)
        {
            var key = (ReportCounts.HourOf(when), flowId, version);
            if (!tallies.TryGetValue(key, out var tally))
                tallies[key] = tally = new FlowTally();
            return tally;
        }

        foreach (var i in instances.Values)
        {
            At(i.FlowId, i.Version, i.StartedAt).Add(FlowCountKind.Started);
            if (i.UpdatedAt < epoch)
                At(i.FlowId, i.Version, i.UpdatedAt).Ended(Domain.Flows.FlowInstanceStatus.Running, i.Status, i.CurrentNodeId);
        }

        var entries = db.FlowJournal.IgnoreQueryFilters().AsNoTracking().Where(j => j.WorkspaceId == workspaceId && j.StartedAt < epoch)
            .OrderBy(j => j.InstanceId).ThenBy(j => j.Sequence)
            .Select(j => new { j.InstanceId, j.NodeId, j.ActivityType, j.Outcome, j.Error, j.StartedAt });
        (Guid Instance, string Node, bool Waited) previous = default;
        await foreach (var j in entries.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var waitedHere = previous.Instance == j.InstanceId && previous.Node == j.NodeId && previous.Waited;
            previous = (j.InstanceId, j.NodeId, j.Outcome is null && j.Error is null);
            if (!instances.TryGetValue(j.InstanceId, out var i))
                continue;
            var category = FlowHandOff.CategoryOf(j.ActivityType);
            var stopped = category is FlowHandOff.Restricted || j.ActivityType == FlowHandOff.ReviewStopStep;
            var tally = At(i.FlowId, i.Version, j.StartedAt).Step(!waitedHere && !stopped, stopped, j.NodeId, j.Outcome, j.Error);
            if (j.Error is not null)
                tally.Add(FlowCountKind.HandedOff, j.NodeId, FlowHandOff.Fault);
            else if (category is not null && !waitedHere)
                tally.Add(FlowCountKind.HandedOff, j.NodeId, category);
        }
        db.FlowReportDeltas.AddRange(tallies.Select(t => t.Value.ToDelta(workspaceId, t.Key.Hour, t.Key.FlowId, t.Key.Version)).OfType<FlowReportDelta>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report history of workspace {WorkspaceId} counted: {Conversations} conversations, {Messages} messages")]
    private partial void LogBackfilled(Guid workspaceId, int conversations, int messages);
}
