namespace OneInbox.Application.Teams;

public sealed record TeamDto(Guid Id, string Name, IReadOnlyList<Guid> MemberIds, DateTimeOffset CreatedAt);

internal static class TeamRules
{
    public static TeamDto ToDto(this Domain.Teams.Team team) => new(team.Id, team.Name, team.MemberIds, team.CreatedAt);
}
