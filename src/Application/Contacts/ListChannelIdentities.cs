using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Contacts;

public sealed record ListChannelIdentities(Guid ContactId) : IQuery<IReadOnlyList<ChannelIdentityDto>>;

public sealed class ListChannelIdentitiesHandler(IOneInboxDb db) : IQueryHandler<ListChannelIdentities, IReadOnlyList<ChannelIdentityDto>>
{
    public async ValueTask<IReadOnlyList<ChannelIdentityDto>> Handle(ListChannelIdentities query, CancellationToken cancellationToken)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == query.ContactId, cancellationToken))
            throw new NotFoundException("Contact", query.ContactId);
        return await db.ChannelIdentities.AsNoTracking().Where(i => i.ContactId == query.ContactId)
            .OrderBy(i => i.CreatedAt)
            .Select(i => new ChannelIdentityDto(i.Id, i.ContactId, i.Channel, i.ExternalId, i.Username, i.CreatedAt))
            .ToListAsync(cancellationToken);
    }
}
