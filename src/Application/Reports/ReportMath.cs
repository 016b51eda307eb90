using System.Globalization;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Reports;

/// <summary>Median, 90th percentile and average of durations, in seconds; null figures when there is nothing to measure.</summary>
public sealed record DurationSummaryDto(int Count, double? Median, double? P90, double? Average);

/// <summary>How response and resolution times are measured: the workspace's open hours only, or the clock.</summary>
public enum ReportTime
{
    Business,
    Calendar,
}

/// <summary>How many durations fell in one band of the response-time distribution (up to its bound; none: above the last).</summary>
public sealed record DistributionBandDto(string Label, double? UpToSeconds, int FirstResponse, int Resolution);

/// <summary>Customer ratings: how many, their average (1-5), and the share of 4s and 5s (CSAT); null figures without ratings.</summary>
public sealed record SatisfactionDto(int Rated, double? Average, double? Csat)
{
    public static SatisfactionDto Of(int rated, int total, int satisfied) =>
        rated == 0 ? new(0, null, null) : new(rated, Math.Round(total / (double)rated, 2), Math.Round(satisfied / (double)rated, 4));
}

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

    /// <summary>The bands of the response-time distribution, as people think of waiting.</summary>
    public static readonly (string Label, double? UpTo)[] Bands =
    [
        ("under 1 min", 60), ("1-5 min", 300), ("5-15 min", 900), ("15-60 min", 3600), ("1-4 h", 4 * 3600), ("4-24 h", 86_400),
        ("1-3 d", 3 * 86_400), ("3-7 d", 7 * 86_400), ("over 7 d", null),
    ];

    /// <summary>How many first responses and resolutions fell in each band (a band holds durations below its bound).</summary>
    public static IReadOnlyList<DistributionBandDto> Distribution(IReadOnlyList<double> firstResponses, IReadOnlyList<double> resolutions)
    {
        int Band(double seconds) => Array.FindIndex(Bands, b => b.UpTo is not { } bound || seconds < bound);
        var first = new int[Bands.Length];
        var resolved = new int[Bands.Length];
        foreach (var seconds in firstResponses)
            first[Band(seconds)]++;
        foreach (var seconds in resolutions)
            resolved[Band(seconds)]++;
        return [.. Bands.Select((b, i) => new DistributionBandDto(b.Label, b.UpTo, first[i], resolved[i]))];
    }

    /// <summary>
    /// A measured duration as the report shows it: as stored (calendar time), or only what of it fell in the business's
    /// open hours. The stored row holds its end and length, so its start is known.
    /// </summary>
    public static double Measured(double seconds, DateTimeOffset end, BusinessTime? business) =>
        business is null ? seconds : Math.Round(business.Between(end.AddSeconds(-seconds), end).TotalSeconds, 1);

    public static TimeZoneInfo ZoneOr(string? id, string fallback) =>
        BusinessHours.TryFindZone(id ?? fallback, out var zone) ? zone : TimeZoneInfo.Utc;
}
