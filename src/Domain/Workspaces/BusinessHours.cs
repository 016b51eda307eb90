using OneInbox.Domain.Common;

namespace OneInbox.Domain.Workspaces;

/// <summary>One day's opening: <paramref name="Open"/> inclusive to <paramref name="Close"/> exclusive, local time.</summary>
public sealed record OpeningHours(DayOfWeek Day, TimeOnly Open, TimeOnly Close);

/// <summary>
/// When a business answers: weekly opening hours and the dates it is closed, read in a time zone. A workspace has one
/// (used by flows' business-hours step unless the step names its own calendar); a new workspace opens Monday to Friday,
/// 09:00 to 17:00.
/// </summary>
public sealed record BusinessHours(IReadOnlyList<OpeningHours> Weekly, IReadOnlyList<DateOnly> Holidays)
{
    public const int MaxSlots = 50;
    public const int MaxHolidays = 200;

    public static BusinessHours Weekdays { get; } = new(
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new OpeningHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
        []);

    /// <summary>Refuses what a calendar cannot mean: a closing time not after the opening, too many entries.</summary>
    public static BusinessHours Create(IEnumerable<OpeningHours> weekly, IEnumerable<DateOnly> holidays)
    {
        var slots = weekly.OrderBy(s => ((int)s.Day + 6) % 7).ThenBy(s => s.Open).ToList();
        if (slots.Count > MaxSlots)
            throw new DomainException("workspace.businessHours", $"A week has at most {MaxSlots} opening hours.");
        if (slots.FirstOrDefault(s => s.Close <= s.Open) is { } backwards)
            throw new DomainException("workspace.businessHours", $"On {backwards.Day} the closing time must be after the opening time.");
        var dates = holidays.Distinct().Order().ToList();
        if (dates.Count > MaxHolidays)
            throw new DomainException("workspace.businessHours", $"A calendar has at most {MaxHolidays} closed dates.");
        return new BusinessHours(slots, dates);
    }

    /// <summary>Open at <paramref name="at"/>, read as local time in <paramref name="zone"/>: not a holiday and inside a weekly opening.</summary>
    public bool IsOpen(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return !Holidays.Contains(date) && Weekly.Any(w => w.Day == local.DayOfWeek && time >= w.Open && time < w.Close);
    }

    /// <summary>Finds a time zone by its IANA (or Windows) id; UTC is "UTC".</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
            return false;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var found))
        {
            zone = found;
            return true;
        }
        return false;
    }
}

/// <summary>A business's hours with the time zone they are read in.</summary>
public sealed record BusinessCalendar(TimeZoneInfo Zone, BusinessHours Hours)
{
    public bool IsOpen(DateTimeOffset at) => Hours.IsOpen(at, Zone);
}

/// <summary>
/// Counts how much of a span a business was open, by its calendar: the opening hours of each local date, less its
/// holidays, in the calendar's zone (a clock change makes that day's opening an hour shorter or longer; an opening that
/// falls in the skipped hour starts when the clock resumes). Each date's openings are worked out once, so measuring many
/// spans (a report's response times) costs little more than adding up.
/// </summary>
public sealed class BusinessTime(BusinessCalendar calendar)
{
    private readonly Dictionary<DateOnly, (DateTimeOffset Open, DateTimeOffset Close)[]> _days = [];

    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
            return TimeSpan.Zero;
        // A local date is at most a day from its UTC date (offsets stay within ±14 h).
        var last = DateOnly.FromDateTime(to.UtcDateTime).AddDays(1);
        var open = TimeSpan.Zero;
        for (var date = DateOnly.FromDateTime(from.UtcDateTime).AddDays(-1); date <= last; date = date.AddDays(1))
        {
            foreach (var (opens, closes) in Openings(date))
            {
                var start = opens > from ? opens : from;
                var end = closes < to ? closes : to;
                if (end > start)
                    open += end - start;
            }
        }
        return open;
    }

    private (DateTimeOffset Open, DateTimeOffset Close)[] Openings(DateOnly date)
    {
        if (_days.TryGetValue(date, out var known))
            return known;
        var openings = calendar.Hours.Holidays.Contains(date) ? []
            : calendar.Hours.Weekly.Where(w => w.Day == date.DayOfWeek).Select(w => (At(date, w.Open), At(date, w.Close))).ToArray();
        _days[date] = openings;
        return openings;
    }

    private DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        while (calendar.Zone.IsInvalidTime(local))
            local = local.AddMinutes(15);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, calendar.Zone), TimeSpan.Zero);
    }
}
