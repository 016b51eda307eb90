using OneInbox.Domain.Common;

namespace OneInbox.Domain.Teams;

/// <summary>A group of members (by user id) that conversations can be queued for, such as "Billing" or "Support DE".</summary>
public sealed class Team : TenantEntity
{
    public const int MaxNameLength = 100;
    public const int MaxMembers = 500;

    private List<Guid> _memberIds = [];

    private Team(string name, DateTimeOffset createdAt)
    {
        Name = name;
        CreatedAt = createdAt;
    }

    public string Name { get; private set; }

    /// <summary>User ids of the workspace members in the team.</summary>
    public IReadOnlyList<Guid> MemberIds => _memberIds;

    public DateTimeOffset CreatedAt { get; private set; }

    public static Team Create(string name, IEnumerable<Guid> memberIds, TimeProvider clock)
    {
        var team = new Team(CheckedName(name), clock.GetUtcNow());
        team.SetMembers(memberIds);
        return team;
    }

    public void Rename(string name) => Name = CheckedName(name);

    public void SetMembers(IEnumerable<Guid> memberIds)
    {
        var ids = memberIds.Distinct().ToList();
        if (ids.Count > MaxMembers)
            throw new DomainException("team.members", $"A team has at most {MaxMembers} members.");
        _memberIds = ids;
    }

    private static string CheckedName(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
            throw new DomainException("team.name", $"A team name has 1 to {MaxNameLength} characters.");
        return trimmed;
    }
}
