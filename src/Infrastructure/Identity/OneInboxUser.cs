using Microsoft.AspNetCore.Identity;

namespace OneInbox.Infrastructure.Identity;

/// <summary>A person who can sign in. What they may do lives in their workspace memberships, not here.</summary>
public sealed class OneInboxUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Set by configuration (bootstrap), never through the API: may create workspaces.</summary>
    public bool IsPlatformAdmin { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
