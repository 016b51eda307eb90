using OneInbox.Domain.Common;

namespace OneInbox.Domain.Privacy;

/// <summary>
/// A duty to keep data (litigation, an authority's order, tax records) that outranks a person's right to have it
/// erased. It covers one contact, or the whole workspace when <see cref="ContactId"/> is null. Only an Owner sets
/// or releases one; a released hold stays as the record that it existed.
/// </summary>
public sealed class LegalHold : TenantEntity
{
    public const int MaxReasonLength = 500;

    private LegalHold(Guid? contactId, string reason, Guid placedBy, DateTimeOffset placedAt)
    {
        ContactId = contactId;
        Reason = reason;
        PlacedBy = placedBy;
        PlacedAt = placedAt;
    }

    /// <summary>The contact kept; null when the hold covers every contact of the workspace.</summary>
    public Guid? ContactId { get; private set; }

    /// <summary>Why the data must be kept: told to the person whose erasure it refuses, so it names no one else.</summary>
    public string Reason { get; private set; }

    public Guid PlacedBy { get; private set; }

    public DateTimeOffset PlacedAt { get; private set; }

    public Guid? ReleasedBy { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    public bool IsActive => ReleasedAt is null;

    public static LegalHold Place(Guid? contactId, string reason, Guid placedBy, TimeProvider clock)
    {
        var trimmed = (reason ?? string.Empty).Trim();
        if (trimmed.Length is 0 or > MaxReasonLength)
            throw new DomainException("legalHold.reason", $"A legal hold needs a reason of 1 to {MaxReasonLength} characters.");
        return new LegalHold(contactId, trimmed, placedBy, clock.GetUtcNow());
    }

    public void Release(Guid releasedBy, TimeProvider clock)
    {
        if (!IsActive)
            throw new DomainException("legalHold.released", "This legal hold was released already.");
        ReleasedBy = releasedBy;
        ReleasedAt = clock.GetUtcNow();
    }
}
