using Microsoft.AspNetCore.Authorization;
using OneInbox.Domain.Identity;

namespace OneInbox.WebApi.Infrastructure;

/// <summary>
/// The authorization policies endpoint groups declare. Each names what the caller may do in the active
/// workspace, by the role claim in their token.
/// </summary>
public static class Policies
{
    /// <summary>Owner and Admin: members, clients, channels, flows, settings.</summary>
    public const string Manage = "workspace:manage";

    /// <summary>Owner, Admin and Agent: conversations and contacts.</summary>
    public const string Work = "workspace:work";

    /// <summary>Every member, Auditors included: read-only access.</summary>
    public const string Read = "workspace:read";

    /// <summary>Owner, Admin and Auditor: the security audit log and automated-decision records.</summary>
    public const string Audit = "workspace:audit";

    /// <summary>Owner and Auditor: deciding human reviews of automated decisions, the record of processing.</summary>
    public const string Accountability = "workspace:accountability";

    /// <summary>The installation's platform administrator (configured, not a workspace role).</summary>
    public const string PlatformAdmin = "platform:admin";

    public const string RoleClaim = "workspace_role";
    public const string WorkspaceClaim = "workspace_id";
    public const string PlatformAdminClaim = "platform_admin";

    public static AuthorizationBuilder AddOneInboxPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Manage, p => p.RequireClaim(WorkspaceClaim).RequireClaim(RoleClaim, nameof(WorkspaceRole.Owner), nameof(WorkspaceRole.Admin)))
        .AddPolicy(Work, p => p.RequireClaim(WorkspaceClaim).RequireClaim(RoleClaim, nameof(WorkspaceRole.Owner), nameof(WorkspaceRole.Admin), nameof(WorkspaceRole.Agent)))
        .AddPolicy(Read, p => p.RequireClaim(WorkspaceClaim).RequireClaim(RoleClaim, Enum.GetNames<WorkspaceRole>()))
        .AddPolicy(Audit, p => p.RequireClaim(WorkspaceClaim).RequireClaim(RoleClaim, nameof(WorkspaceRole.Owner), nameof(WorkspaceRole.Admin), nameof(WorkspaceRole.Auditor)))
        .AddPolicy(Accountability, p => p.RequireClaim(WorkspaceClaim).RequireClaim(RoleClaim, nameof(WorkspaceRole.Owner), nameof(WorkspaceRole.Auditor)))
        .AddPolicy(PlatformAdmin, p => p.RequireClaim(PlatformAdminClaim, "true"));
}
