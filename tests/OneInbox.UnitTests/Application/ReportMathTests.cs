using OneInbox.Domain.Workspaces;
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

    [Fact]
    public void Business_time_counts_only_open_hours_across_a_weekend_a_holiday_and_a_clock_change()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var hours = new BusinessTime(new BusinessCalendar(berlin, BusinessHours.Create(
            [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .Select(d => new OpeningHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
            [new DateOnly(2026, 12, 25)])));

        // Friday 16:00 to Monday 10:00 in Berlin (UTC+1): one hour on Friday, one on Monday, none at the weekend.
        var friday = new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromHours(2), hours.Between(friday, friday.AddDays(3).AddHours(-6)));
        // Asked at night and answered the next morning at 09:30: thirty minutes of business time.
        Assert.Equal(TimeSpan.FromMinutes(30), hours.Between(new DateTimeOffset(2026, 12, 1, 21, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 2, 8, 30, 0, TimeSpan.Zero)));
        // Christmas Day (a Friday) is closed: Thursday 16:00 to Monday 09:00 holds one hour.
        Assert.Equal(TimeSpan.FromHours(1), hours.Between(new DateTimeOffset(2026, 12, 24, 15, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 28, 8, 0, 0, TimeSpan.Zero)));
        // Across the change to summer time (Sunday 29 March 2026): Friday 09:00 is 08:00 UTC, Monday 09:00 is 07:00 UTC;
        // Friday's eight hours count and nothing of Monday yet.
        Assert.Equal(TimeSpan.FromHours(8), hours.Between(new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.Zero, hours.Between(friday, friday));
    }

    [Fact]
    public void The_distribution_puts_each_duration_in_the_band_below_its_bound()
    {
        var bands = ReportMath.Distribution([30, 59.9, 60, 4000, 700_000], [86_400, 10]);

        Assert.Equal([2, 1, 0, 0, 1, 0, 0, 0, 1], bands.Select(b => b.FirstResponse));
        Assert.Equal([1, 0, 0, 0, 0, 0, 1, 0, 0], bands.Select(b => b.Resolution));
        Assert.Equal(("under 1 min", 60d), (bands[0].Label, bands[0].UpToSeconds));
        Assert.Null(bands[^1].UpToSeconds);
    }
}
