using OneInbox.Domain.Identity;

namespace OneInbox.Application.Common;

/// <summary>Who is acting: a signed-in member, an integration client, or (for background work) nobody.</summary>
public interface ICurrentUser
{
    /// <summary>The member's user id; null for integration clients and background work.</summary>
    Guid? UserId { get; }

    /// <summary>The role in the active workspace; null when not acting in a workspace.</summary>
    WorkspaceRole? Role { get; }

    bool IsPlatformAdmin { get; }
}
