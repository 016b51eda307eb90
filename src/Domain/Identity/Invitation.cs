using OneInbox.Domain.Common;

namespace OneInbox.Domain.Identity;

/// <summary>
/// An invitation to join a workspace with a role. Only the hash of its token is stored; the link that
/// carries the token is shown once, to the admin who created it.
/// </summary>
public sealed class Invitation : TenantEntity
{
    private Invitation(string email, WorkspaceRole role, string tokenHash, Guid? invitedBy, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        Email = email;
        Role = role;
        TokenHash = tokenHash;
        InvitedBy = invitedBy;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public string Email { get; private set; }

    public WorkspaceRole Role { get; private set; }

    public string TokenHash { get; private set; }

    public Guid? InvitedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public Guid? AcceptedBy { get; private set; }

    public static Invitation Create(string email, WorkspaceRole role, string tokenHash, Guid? invitedBy, TimeSpan validFor, TimeProvider clock)
    {
        if (role == WorkspaceRole.Owner)
            throw new DomainException("invitation.owner", "Invite as admin and promote to owner afterwards.");
        var now = clock.GetUtcNow();
        return new Invitation(email.Trim().ToLowerInvariant(), role, tokenHash, invitedBy, now, now + validFor);
    }

    public bool IsOpen(TimeProvider clock) => AcceptedAt is null && clock.GetUtcNow() < ExpiresAt;

    public void Accept(Guid userId, TimeProvider clock)
    {
        if (AcceptedAt is not null)
            throw new DomainException("invitation.used", "This invitation has already been accepted.");
        if (clock.GetUtcNow() >= ExpiresAt)
            throw new DomainException("invitation.expired", "This invitation has expired; ask for a new one.");
        AcceptedAt = clock.GetUtcNow();
        AcceptedBy = userId;
    }
}
