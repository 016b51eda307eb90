using System.Text.RegularExpressions;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Workspaces;

/// <summary>One business: the tenant every other row belongs to.</summary>
public sealed partial class Workspace : Entity
{
    public const int MaxNameLength = 120;

    /// <summary>Privacy policy §4.3: account data is kept 90 days after closure, during which the workspace can be reopened.</summary>
    public const int ClosureGraceDays = 90;

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

    /// <summary>When an Owner closed the workspace; null while it is open. Closed, nobody acts in it and its bots are silent.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    public Guid? ClosedBy { get; private set; }

    /// <summary>When everything of a closed workspace is deleted for good (<see cref="ClosureGraceDays"/> after closing).</summary>
    public DateTimeOffset? PurgeAt { get; private set; }

    public bool IsClosed => ClosedAt is not null;

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

    /// <summary>Closes the workspace: kept for <see cref="ClosureGraceDays"/> days, then purged.</summary>
    public void Close(Guid? by, TimeProvider clock)
    {
        if (IsClosed)
            throw new DomainException("workspace.closed", "The workspace is already closed.");
        ClosedAt = clock.GetUtcNow();
        ClosedBy = by;
        PurgeAt = ClosedAt.Value.AddDays(ClosureGraceDays);
    }

    /// <summary>Reopens a closed workspace before its purge.</summary>
    public void Reopen(TimeProvider clock)
    {
        if (!IsClosed)
            throw new DomainException("workspace.open", "The workspace is open.");
        if (clock.GetUtcNow() >= PurgeAt)
            throw new DomainException("workspace.purged", "The workspace's grace period is over; it is being purged.");
        ClosedAt = null;
        ClosedBy = null;
        PurgeAt = null;
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
