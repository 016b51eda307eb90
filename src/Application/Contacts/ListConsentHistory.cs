using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

public sealed record ListConsentHistory(Guid ContactId) : IQuery<IReadOnlyList<ConsentRecord>>;

public sealed class ListConsentHistoryHandler(IOneInboxDb db) : IQueryHandler<ListConsentHistory, IReadOnlyList<ConsentRecord>>
{
    public async ValueTask<IReadOnlyList<ConsentRecord>> Handle(ListConsentHistory query, CancellationToken cancellationToken)
    {
        var history = await db.Contacts.AsNoTracking().Where(c => c.Id == query.ContactId).Select(c => c.ConsentHistory).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Contact", query.ContactId);
        return history.Reverse().ToList();
    }
}
