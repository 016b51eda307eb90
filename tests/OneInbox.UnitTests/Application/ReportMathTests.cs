using OneInbox.Application.Reports;

namespace OneInbox.UnitTests.Application;

public class ReportMathTests
{
    [Fact]
    public void Median_p90_and_average_are_those_computed_by_hand()
    {
        var summary = ReportMath.Summarize([40, 10, 30, 20]);

        // Sorted 10, 20, 30, 40: the median lies halfway between 20 and 30; the 90th percentile at 2.7 of 3 steps.
        Assert.Equal(new DurationSummaryDto(4, 25, 37, 25), summary);
        Assert.Equal(new DurationSummaryDto(1, 90, 90, 90), ReportMath.Summarize([90]));
        Assert.Equal(new DurationSummaryDto(0, null, null, null), ReportMath.Summarize([]));
    }

    [Fact]
    public void Hours_fall_into_local_days_across_a_clock_change_and_weeks_start_on_monday()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        // 25 October 2026: Berlin goes from UTC+2 to UTC+1 at 01:00 UTC, so its Sunday has 25 hours.
        var sundayHours = Enumerable.Range(0, 30).Select(h => new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero).AddHours(h))
            .Count(h => ReportMath.BucketOf(h, berlin, ReportGrouping.Day) == new DateTime(2026, 10, 25));
        Assert.Equal(25, sundayHours);

        // 22:00 UTC on Sunday 1 November is already Monday in Tokyo, and in Berlin it is still Sunday.
        var late = new DateTimeOffset(2026, 11, 1, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTime(2026, 11, 2), ReportMath.BucketOf(late, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"), ReportGrouping.Week));
        Assert.Equal(new DateTime(2026, 10, 26), ReportMath.BucketOf(late, berlin, ReportGrouping.Week));
        Assert.Equal(new DateTime(2026, 11, 1), ReportMath.BucketOf(late, berlin, ReportGrouping.Month));
        Assert.Equal(new DateTime(2026, 11, 1, 23, 0, 0), ReportMath.BucketOf(late, berlin, ReportGrouping.Hour));
        Assert.Equal("2026-11-01T23:00", ReportMath.Label(new DateTime(2026, 11, 1, 23, 0, 0), ReportGrouping.Hour));
        Assert.Equal("2026-11-01", ReportMath.Label(new DateTime(2026, 11, 1), ReportGrouping.Month));

        // The range's buckets, quiet ones included: three Berlin days from Saturday 22:00 UTC (Sunday 00:00 local).
        var days = ReportMath.BucketsOf(new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 27, 23, 0, 0, TimeSpan.Zero), berlin, ReportGrouping.Day);
        Assert.Equal([new DateTime(2026, 10, 25), new DateTime(2026, 10, 26), new DateTime(2026, 10, 27)], days);
    }
}
