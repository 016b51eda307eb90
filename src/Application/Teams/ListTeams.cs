using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Teams;

public sealed record ListTeams : IQuery<IReadOnlyList<TeamDto>>;

public sealed class ListTeamsHandler(IOneInboxDb db) : IQueryHandler<ListTeams, IReadOnlyList<TeamDto>>
{
    public async ValueTask<IReadOnlyList<TeamDto>> Handle(ListTeams query, CancellationToken cancellationToken) =>
        await db.Teams.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new TeamDto(t.Id, t.Name, t.MemberIds, t.CreatedAt))
            .ToListAsync(cancellationToken);
}
