using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Hubs;

/// <summary>
/// Real-time inbox events for the workspace's members. A connection joins its own workspace's group and
/// nothing else; clients only listen (message.created, message.updated, conversation.created,
/// conversation.updated, contact.updated) and act through the REST API.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class InboxHub : Hub
{
    public const string Path = "/hubs/inbox";

    public static string GroupOf(Guid workspaceId) => $"workspace:{workspaceId:N}";

    public override async Task OnConnectedAsync()
    {
        if (!Guid.TryParse(Context.User?.FindFirst(Policies.WorkspaceClaim)?.Value, out var workspaceId))
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(workspaceId), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }
}
