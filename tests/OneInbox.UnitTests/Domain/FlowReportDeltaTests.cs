using OneInbox.Domain.Reports;

namespace OneInbox.UnitTests.Domain;

public class FlowReportDeltaTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 9, 41, 0, TimeSpan.Zero);
    private static readonly Guid FlowId = Guid.CreateVersion7();

    [Fact]
    public void The_runs_of_one_unit_of_work_become_one_row_with_the_counts_added_up()
    {
        var answeredPrice = new FlowTally().Add(FlowCountKind.Started).Add(FlowCountKind.Reached, "decide").Add(FlowCountKind.Left, "decide", "true");
        var answeredOther = new FlowTally().Add(FlowCountKind.Started).Add(FlowCountKind.Reached, "decide").Add(FlowCountKind.Left, "decide", "false");
        var deltas = new[] { answeredPrice, answeredPrice, answeredOther }
            .Select(t => t.ToDelta(Guid.Empty, ReportCounts.HourOf(At), FlowId, 3)!).ToList();

        var merged = FlowReportDelta.Merge(deltas);

        Assert.Equal((ReportCounts.HourOf(At), FlowId, 3), (merged.HourStart, merged.FlowId, merged.Version));
        var counts = merged.Read().ToDictionary(c => (c.Key.Kind, c.Key.NodeId, c.Key.Outcome), c => c.Count);
        Assert.Equal(3, counts[(FlowCountKind.Started, "", "")]);
        Assert.Equal(3, counts[(FlowCountKind.Reached, "decide", "")]);
        Assert.Equal(2, counts[(FlowCountKind.Left, "decide", "true")]);
        Assert.Equal(1, counts[(FlowCountKind.Left, "decide", "false")]);
        Assert.Equal(4, counts.Count);
    }

    [Fact]
    public void Counts_of_another_flow_version_are_never_added_to_these()
    {
        var tally = new FlowTally().Add(FlowCountKind.Started);
        var deltas = new[] { tally.ToDelta(Guid.Empty, ReportCounts.HourOf(At), FlowId, 3)!, tally.ToDelta(Guid.Empty, ReportCounts.HourOf(At), FlowId, 4)! };

        Assert.Throws<ArgumentException>(() => FlowReportDelta.Merge(deltas));
    }
}
