using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Application.Reports;
using OneInbox.Domain.Reports;
using OneInbox.Infrastructure.Reports;
using OneInbox.IntegrationTests.Channels;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Reports;

/// <summary>
/// A report reads the compacted hours, then the deltas not folded yet; the compactor moves deltas into hours in one
/// commit. A fold that committed between the two reads made both miss the runs: the Studio's Reports page once showed
/// a bot's 2 runs as 0. The reads now share one snapshot.
/// </summary>
public sealed class ReportSnapshotTests(OneInboxApp app) : ChannelTest(app)
{
    [Fact]
    public async Task A_fold_that_commits_between_a_reports_two_reads_is_counted_once()
    {
        var flowId = Guid.NewGuid();
        var hour = ReportCounts.HourOf(DateTimeOffset.UtcNow);
        var started = new Dictionary<FlowCountKey, int> { [new FlowCountKey(FlowCountKind.Started, "", "")] = 2 };
        await using (var writing = Host.Services.GetRequiredService<IServiceScopeFactory>().CreateWorkspaceScope(Workspace.Id))
        {
            var db = writing.ServiceProvider.GetRequiredService<IOneInboxDb>();
            db.FlowReportDeltas.Add(FlowReportDelta.For(hour, flowId, 1, started));
            await db.SaveChangesAsync();
        }

        await using var reading = Host.Services.GetRequiredService<IServiceScopeFactory>().CreateWorkspaceScope(Workspace.Id);
        var report = reading.ServiceProvider.GetRequiredService<IOneInboxDb>();
        await using (await report.ReadSnapshotAsync(CancellationToken.None))
        {
            var hours = await report.FlowReportHours.AsNoTracking().Where(h => h.FlowId == flowId).SumAsync(h => h.Count);
            Assert.True(await Host.Services.GetRequiredService<ReportCompactor>().CompactFlowsAsync(CancellationToken.None) >= 1);
            var deltas = await report.FlowReportDeltas.AsNoTracking().Where(d => d.FlowId == flowId).ToListAsync();

            Assert.Equal(0, hours);
            Assert.Equal(2, deltas.SelectMany(d => d.Read()).Sum(r => r.Count));
        }

        // Outside the snapshot the fold is seen whole: the runs are in the hours, the delta is gone.
        var rows = await FlowCountsQuery.ReadAsync(report, hour, hour.AddHours(1), flowId, null, CancellationToken.None);
        Assert.Equal(2, rows.Total(FlowCountKind.Started));
        Assert.Empty(await report.FlowReportDeltas.AsNoTracking().Where(d => d.FlowId == flowId).ToListAsync());
    }
}
