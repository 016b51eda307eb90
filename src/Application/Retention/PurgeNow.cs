using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Privacy;

namespace OneInbox.Application.Retention;

/// <summary>An Owner runs the workspace's purge now instead of waiting for the nightly run.</summary>
public sealed record PurgeNow : ICommand<PurgeReport>;

public sealed class PurgeNowHandler(IRetentionPurge purge, WorkspaceContext workspace, ICurrentUser user) : ICommandHandler<PurgeNow, PurgeReport>
{
    public async ValueTask<PurgeReport> Handle(PurgeNow command, CancellationToken cancellationToken)
    {
        user.RequireOwner("Only an Owner runs the purge.");
        return await purge.PurgeWorkspaceAsync(workspace.WorkspaceId, cancellationToken);
    }
}
