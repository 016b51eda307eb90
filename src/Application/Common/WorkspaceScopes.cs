using Microsoft.Extensions.DependencyInjection;

namespace OneInbox.Application.Common;

/// <summary>
/// A unit of work of one workspace for background work: a job finds its rows across workspaces, then handles
/// each in a scope whose tenant filters and stamps are those of the row's workspace.
/// </summary>
public static class WorkspaceScopes
{
    public static AsyncServiceScope CreateWorkspaceScope(this IServiceScopeFactory scopes, Guid workspaceId)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        return scope;
    }
}
