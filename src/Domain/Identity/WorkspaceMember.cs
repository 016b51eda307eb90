using OneInbox.Domain.Common;
using OneInbox.Domain.Identity.Events;

namespace OneInbox.Domain.Identity;

/// <summary>A user's membership of one workspace, with the role it grants there.</summary>
public sealed class WorkspaceMember : TenantEntity
{
    public const int MaxDisplayNameLength = 120;

    private WorkspaceMember(Guid userId, WorkspaceRole role, string displayName, string email, DateTimeOffset joinedAt)
    {
        UserId = userId;
        Role = role;
        DisplayName = displayName;
        Email = email;
        JoinedAt = joinedAt;
    }

    public Guid UserId { get; private set; }

    public WorkspaceRole Role { get; private set; }

    public string DisplayName { get; private set; }

    public string Email { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    /// <summary>Set by the member themself; team routing only picks members who are online.</summary>
    public MemberAvailability Availability { get; private set; } = MemberAvailability.Online;

    /// <summary>A member of the caller's workspace (stamped on save).</summary>
    public static WorkspaceMember Join(Guid userId, WorkspaceRole role, string displayName, string email, TimeProvider clock) =>
        new(userId, role, CheckedName(displayName, email), email.Trim().ToLowerInvariant(), clock.GetUtcNow());

    /// <summary>A member of a named workspace that is not the caller's: a new workspace's owner, an accepted invitation.</summary>
    public static WorkspaceMember Admit(Guid workspaceId, Guid userId, WorkspaceRole role, string displayName, string email, TimeProvider clock)
    {
        var member = Join(userId, role, displayName, email, clock);
        member.BelongTo(workspaceId);
        return member;
    }

    /// <summary>Changes the role. Only an owner may grant or take away ownership.</summary>
    public void ChangeRole(WorkspaceRole role, WorkspaceRole actorRole)
    {
        if ((role == WorkspaceRole.Owner || Role == WorkspaceRole.Owner) && actorRole != WorkspaceRole.Owner)
            throw new DomainException("member.ownerOnly", "Only an owner can grant or take away the owner role.");
        Role = role;
    }

    /// <summary>Returns false when the member already had this availability (nothing to tell anyone).</summary>
    public bool SetAvailability(MemberAvailability availability)
    {
        if (!Enum.IsDefined(availability))
            throw new DomainException("member.availability", $"'{availability}' is not an availability.");
        if (availability == Availability)
            return false;
        Availability = availability;
        Raise(new MemberAvailabilityChanged(UserId, availability));
        return true;
    }

    public void Rename(string displayName) => DisplayName = CheckedName(displayName, Email);

    private static string CheckedName(string displayName, string email)
    {
        var name = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName.Trim();
        return name.Length > MaxDisplayNameLength ? name[..MaxDisplayNameLength] : name;
    }
}
