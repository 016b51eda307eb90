using Microsoft.AspNetCore.Identity;

namespace OneInbox.Infrastructure.Identity;

/// <summary>A person who can sign in. What they may do lives in their workspace memberships, not here.</summary>
public sealed class OneInboxUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Set by configuration (bootstrap), never through the API: may create workspaces.</summary>
    public bool IsPlatformAdmin { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the person confirmed they are 18 or older (privacy policy §9), at sign-up or on accepting an invitation.</summary>
    public DateTimeOffset? AdultConfirmedAt { get; set; }

    /// <summary>The privacy policy version the person last accepted, and when.</summary>
    public string? AcceptedPolicyVersion { get; set; }

    public DateTimeOffset? PolicyAcceptedAt { get; set; }
}
