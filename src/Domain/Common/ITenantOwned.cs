namespace OneInbox.Domain.Common;

/// <summary>
/// A row that belongs to one workspace. The workspace id is stamped by persistence from the signed-in
/// principal when the row is added, and is never taken from a request body.
/// </summary>
public interface ITenantOwned
{
    Guid WorkspaceId { get; }
}

/// <summary>An entity owned by a workspace.</summary>
public abstract class TenantEntity : Entity, ITenantOwned
{
    public Guid WorkspaceId { get; private set; }

    /// <summary>
    /// For factories that create rows of a workspace other than the caller's (a new workspace's first
    /// member, say). Rows created in a request are stamped by persistence instead.
    /// </summary>
    protected void BelongTo(Guid workspaceId) => WorkspaceId = workspaceId;
}
