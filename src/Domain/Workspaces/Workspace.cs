using System.Text.RegularExpressions;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Workspaces;

/// <summary>One business: the tenant every other row belongs to.</summary>
public sealed partial class Workspace : Entity
{
    public const int MaxNameLength = 120;

    private Workspace(string name, string slug, DateTimeOffset createdAt)
    {
        Name = name;
        Slug = slug;
        CreatedAt = createdAt;
    }

    public string Name { get; private set; }

    /// <summary>URL-friendly handle, unique across the installation.</summary>
    public string Slug { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The time zone the business works in (an IANA id): business hours and schedules read local time in it.</summary>
    public string TimeZone { get; private set; } = "UTC";

    public BusinessHours BusinessHours { get; private set; } = BusinessHours.Weekdays;

    public BusinessCalendar Calendar =>
        new(BusinessHours.TryFindZone(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc, BusinessHours);

    public static Workspace Create(string name, TimeProvider clock)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
            throw new DomainException("workspace.name", $"A workspace name has 1 to {MaxNameLength} characters.");
        return new Workspace(trimmed, ToSlug(trimmed), clock.GetUtcNow());
    }

    public void Rename(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
            throw new DomainException("workspace.name", $"A workspace name has 1 to {MaxNameLength} characters.");
        Name = trimmed;
    }

    /// <summary>Sets where and when the business works; an unknown time zone is refused.</summary>
    public void ChangeHours(string timeZone, BusinessHours hours)
    {
        if (!BusinessHours.TryFindZone(timeZone, out _))
            throw new DomainException("workspace.timeZone", $"Time zone '{timeZone}' is unknown; use an IANA name such as Europe/Berlin.");
        TimeZone = timeZone.Trim();
        BusinessHours = hours;
    }

    /// <summary>Takes a slug made unique by the caller (the name's slug with a number appended).</summary>
    public void UseSlug(string slug) => Slug = slug;

    public static string ToSlug(string name)
    {
        var slug = NonSlug().Replace(name.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "workspace" : slug[..Math.Min(slug.Length, 60)];
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
