using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Identity;

public sealed record ListMembers : IQuery<ItemsOf<MemberDto>>;

public sealed class ListMembersHandler(IOneInboxDb db) : IQueryHandler<ListMembers, ItemsOf<MemberDto>>
{
    public async ValueTask<ItemsOf<MemberDto>> Handle(ListMembers query, CancellationToken cancellationToken) =>
        new(await db.Members.AsNoTracking().OrderBy(m => m.DisplayName).ProjectToDto().ToListAsync(cancellationToken));
}
