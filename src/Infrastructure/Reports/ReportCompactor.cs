using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Domain.Reports;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Reports;

/// <summary>
/// Folds the deltas units of work wrote into one row per hour and dimensions, and deletes them, in one transaction:
/// a crash in between leaves the deltas to fold again, never a count twice. One node at a time (a cluster lock).
/// Reports read the hour rows and the few deltas not folded yet, so they are exact at any moment.
/// </summary>
internal sealed class ReportCompactor(IServiceScopeFactory scopes, ClusterLock cluster, ReportOptions options, TimeProvider clock, ILogger<ReportCompactor> logger)
    : PeriodicWorker(clock, logger)
{
    private const string LockName = "report-compactor";
    private static readonly ReportGrain[] Grains = Enum.GetValues<ReportGrain>();

    protected override TimeSpan Interval => options.CompactEvery;

    protected internal override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await cluster.TryAcquireAsync(LockName, TimeSpan.Zero, cancellationToken);
        if (held is null)
            return false;
        var inbox = await CompactAsync(cancellationToken);
        var flows = await CompactFlowsAsync(cancellationToken);
        return inbox == options.BatchSize || flows == options.BatchSize;
    }

    /// <summary>One batch: the number of deltas folded.</summary>
    internal Task<int> CompactAsync(CancellationToken cancellationToken) => FoldAsync(db => db.ReportDeltas, async (db, batch) =>
    {
        // Only this compactor (one node, under the lock) writes hour rows, so reading and adding in one transaction is safe.
        // Each delta adds to its hour, its day and its hour's workspace total.
        var workspaces = batch.Select(d => d.WorkspaceId).Distinct().ToList();
        var starts = batch.SelectMany(d => new[] { d.HourStart, ReportHour.KeyAt(ReportGrain.Day, d.Key).HourStart }).Distinct().ToList();
        var existing = (await db.ReportHours.IgnoreQueryFilters()
                .Where(h => workspaces.Contains(h.WorkspaceId) && Grains.Contains(h.Grain) && starts.Contains(h.HourStart)).ToListAsync(cancellationToken))
            .ToDictionary(h => (h.WorkspaceId, h.Grain, h.Key));
        foreach (var delta in batch)
        {
            // A label's counts are read by the hour only (label-filtered reports).
            foreach (var grain in delta.Label.Length == 0 ? Grains : [ReportGrain.Hour])
            {
                var key = ReportHour.KeyAt(grain, delta.Key);
                if (!existing.TryGetValue((delta.WorkspaceId, grain, key), out var row))
                {
                    existing[(delta.WorkspaceId, grain, key)] = row = ReportHour.Start(delta.WorkspaceId, grain, key);
                    db.ReportHours.Add(row);
                }
                row.Add(delta);
            }
        }
    }, cancellationToken);

    /// <summary>One batch of flow deltas (each holds a unit of work's counts): the number folded.</summary>
    internal Task<int> CompactFlowsAsync(CancellationToken cancellationToken) => FoldAsync(db => db.FlowReportDeltas, async (db, batch) =>
    {
        var workspaces = batch.Select(d => d.WorkspaceId).Distinct().ToList();
        var flows = batch.Select(d => d.FlowId).Distinct().ToList();
        var hours = batch.Select(d => d.HourStart).Distinct().ToList();
        var existing = (await db.FlowReportHours.IgnoreQueryFilters()
                .Where(h => workspaces.Contains(h.WorkspaceId) && flows.Contains(h.FlowId) && hours.Contains(h.HourStart)).ToListAsync(cancellationToken))
            .ToDictionary(h => (h.WorkspaceId, h.Key));
        foreach (var delta in batch)
        {
            foreach (var (key, count) in delta.Read())
            {
                if (!existing.TryGetValue((delta.WorkspaceId, key), out var hour))
                {
                    existing[(delta.WorkspaceId, key)] = hour = FlowReportHour.Start(delta.WorkspaceId, key);
                    db.FlowReportHours.Add(hour);
                }
                hour.Add(count);
            }
        }
    }, cancellationToken);

    /// <summary>
    /// Takes the oldest deltas, lets <paramref name="fold"/> add them to the compacted rows, saves, and deletes the deltas,
    /// in one transaction: a crash in between leaves the deltas to fold again, never a count twice.
    /// </summary>
    private async Task<int> FoldAsync<TDelta>(
        Func<OneInboxDbContext, DbSet<TDelta>> deltas, Func<OneInboxDbContext, List<TDelta>, Task> fold, CancellationToken cancellationToken)
        where TDelta : Domain.Common.TenantEntity
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = await deltas(db).IgnoreQueryFilters().AsNoTracking().OrderBy(d => d.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
        if (batch.Count == 0)
            return 0;
        await fold(db, batch);
        await db.SaveChangesAsync(cancellationToken);
        var ids = batch.Select(d => d.Id).ToList();
        await deltas(db).IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batch.Count;
    }
}

/// <summary>Settings of the report aggregates (<c>OneInbox:Reports</c>).</summary>
public sealed class ReportOptions
{
    public const string Section = "OneInbox:Reports";

    public bool RunWorker { get; set; } = true;

    public TimeSpan CompactEvery { get; set; } = TimeSpan.FromSeconds(5);

    public int BatchSize { get; set; } = 5000;

    /// <summary>How often the backfill looks for workspaces whose history before live counting is not counted yet.</summary>
    public TimeSpan BackfillEvery { get; set; } = TimeSpan.FromMinutes(10);
}

public static class ReportSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ReportOptions.Section).Get<ReportOptions>() ?? new ReportOptions();
        services.AddSingleton(options);
        services.AddSingleton<ReportCompactor>();
        services.AddSingleton<ReportBackfiller>();
        if (options.RunWorker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ReportCompactor>());
            services.AddHostedService(sp => sp.GetRequiredService<ReportBackfiller>());
        }
        return services;
    }
}
