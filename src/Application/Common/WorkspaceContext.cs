namespace OneInbox.Application.Common;

/// <summary>
/// The workspace the current unit of work acts for: taken from the signed-in principal for HTTP requests,
/// or set by a background job from the row it processes. Never from a request body.
/// </summary>
public sealed class WorkspaceContext
{
    private Guid? _workspaceId;

    public bool HasWorkspace => _workspaceId.HasValue;

    /// <summary>The current workspace; asking without one is a programming error, not a user error.</summary>
    public Guid WorkspaceId => _workspaceId ?? throw new InvalidOperationException("No workspace is set for this unit of work.");

    /// <summary>The id the persistence filters compare with; an empty id matches no row.</summary>
    public Guid FilterId => _workspaceId ?? Guid.Empty;

    public void Enter(Guid workspaceId)
    {
        if (_workspaceId.HasValue && _workspaceId != workspaceId)
            throw new InvalidOperationException("A unit of work cannot switch workspaces.");
        _workspaceId = workspaceId;
    }
}
