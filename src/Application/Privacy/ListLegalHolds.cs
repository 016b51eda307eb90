using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Privacy;

/// <summary>The workspace's legal holds, active ones first, newest first; optionally those of one contact.</summary>
public sealed record ListLegalHolds(Guid? ContactId = null) : IQuery<IReadOnlyList<LegalHoldDto>>;

public sealed class ListLegalHoldsHandler(IOneInboxDb db) : IQueryHandler<ListLegalHolds, IReadOnlyList<LegalHoldDto>>
{
    public async ValueTask<IReadOnlyList<LegalHoldDto>> Handle(ListLegalHolds query, CancellationToken cancellationToken)
    {
        var holds = db.LegalHolds.AsNoTracking();
        if (query.ContactId is { } contactId)
            holds = holds.Where(h => h.ContactId == contactId || h.ContactId == null);
        var rows = await holds.ToListAsync(cancellationToken);
        return rows.OrderBy(h => h.IsActive ? 0 : 1).ThenByDescending(h => h.PlacedAt).Select(h => h.ToDto()).ToList();
    }
}
