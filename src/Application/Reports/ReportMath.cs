using System.Globalization;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Reports;

/// <summary>Median, 90th percentile and average of durations, in seconds; null figures when there is nothing to measure.</summary>
public sealed record DurationSummaryDto(int Count, double? Median, double? P90, double? Average);

public enum ReportGrouping
{
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>The arithmetic of reports, kept apart from the queries so that each rule is tested on its own.</summary>
public static class ReportMath
{
    /// <summary>Percentiles interpolate between the two nearest values (the "linear" method, as PostgreSQL's percentile_cont).</summary>
    public static DurationSummaryDto Summarize(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0)
            return new DurationSummaryDto(0, null, null, null);
        var sorted = seconds.Order().ToArray();
        return new DurationSummaryDto(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.9), Math.Round(sorted.Average(), 1));
    }

    public static double Percentile(double[] sorted, double fraction)
    {
        var position = (sorted.Length - 1) * fraction;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        var value = sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
        return Math.Round(value, 1);
    }

    /// <summary>
    /// The local start of the bucket a UTC hour falls in, read in <paramref name="zone"/>: the local hour, day, week
    /// (Monday) or month. Days follow the zone's calendar, so a day of a clock change has 23 or 25 hours.
    /// </summary>
    public static DateTime BucketOf(DateTimeOffset utcHour, TimeZoneInfo zone, ReportGrouping grouping)
    {
        var local = TimeZoneInfo.ConvertTime(utcHour, zone).DateTime;
        return grouping switch
        {
            ReportGrouping.Hour => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0),
            ReportGrouping.Day => local.Date,
            ReportGrouping.Week => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            ReportGrouping.Month => new DateTime(local.Year, local.Month, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(grouping)),
        };
    }

    /// <summary>
    /// Every bucket of the range, in order, including those where nothing happened (a chart over time shows the
    /// quiet days too). Walks the range's UTC hours, so a day of a clock change is one bucket like any other.
    /// </summary>
    public static IReadOnlyList<DateTime> BucketsOf(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, ReportGrouping grouping)
    {
        var buckets = new List<DateTime>();
        for (var hour = from; hour < to; hour = hour.AddHours(1))
        {
            var bucket = BucketOf(hour, zone, grouping);
            if (buckets.Count == 0 || buckets[^1] != bucket)
                buckets.Add(bucket);
        }
        return buckets;
    }

    /// <summary>The bucket's label: ISO local date or date-time, without an offset (the report names its zone).</summary>
    public static string Label(DateTime bucket, ReportGrouping grouping) =>
        bucket.ToString(grouping == ReportGrouping.Hour ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TimeZoneInfo ZoneOr(string? id, string fallback) =>
        BusinessHours.TryFindZone(id ?? fallback, out var zone) ? zone : TimeZoneInfo.Utc;
}
