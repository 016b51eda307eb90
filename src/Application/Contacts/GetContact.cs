using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Contacts;

public sealed record GetContact(Guid ContactId) : IQuery<ContactDto>;

public sealed class GetContactHandler(IOneInboxDb db) : IQueryHandler<GetContact, ContactDto>
{
    public async ValueTask<ContactDto> Handle(GetContact query, CancellationToken cancellationToken) =>
        await db.Contacts.AsNoTracking().Where(c => c.Id == query.ContactId).ProjectToDto().FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Contact", query.ContactId);
}
