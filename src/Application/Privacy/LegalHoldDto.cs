using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

public sealed record LegalHoldDto(Guid Id, Guid? ContactId, string Reason, Guid PlacedBy, DateTimeOffset PlacedAt, Guid? ReleasedBy, DateTimeOffset? ReleasedAt, bool Active);

public static class LegalHolds
{
    public static LegalHoldDto ToDto(this LegalHold hold) =>
        new(hold.Id, hold.ContactId, hold.Reason, hold.PlacedBy, hold.PlacedAt, hold.ReleasedBy, hold.ReleasedAt, hold.IsActive);

    /// <summary>The active holds that keep this contact's data: its own and the workspace's.</summary>
    public static async Task<IReadOnlyList<LegalHold>> ActiveForContactAsync(this IOneInboxDb db, Guid contactId, CancellationToken cancellationToken) =>
        await db.LegalHolds.AsNoTracking()
            .Where(h => h.ReleasedAt == null && (h.ContactId == null || h.ContactId == contactId))
            .OrderBy(h => h.PlacedAt)
            .ToListAsync(cancellationToken);
}
