using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OneInbox.WebApi.Identity;
using OneInbox.WebApi.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OneInbox.WebApi.Hubs;

/// <summary>
/// Real-time inbox events for the workspace's members. A connection joins its own workspace's group and,
/// for a signed-in member, that member's group within the workspace, and nothing else; clients only listen
/// (message.created, message.updated, conversation.created, conversation.updated, contact.updated to the
/// workspace; conversation.read to the member) and act through the REST API.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class InboxHub(HubListeners listeners) : Hub
{
    private const string GroupsItem = "groups";

    public const string Path = "/hubs/inbox";

    /// <summary>
    /// Sent to the connection alone once it is in its groups on every node. The handshake's answer comes before that:
    /// a client that loads what it shows after this event misses no change, however busy the nodes.
    /// </summary>
    public const string Listening = "listening";

    public static string GroupOf(Guid workspaceId) => $"workspace:{workspaceId:N}";

    /// <summary>
    /// Per member and workspace rather than per user alone, so that a person who belongs to two workspaces never
    /// hears one workspace's events on a connection signed in to the other.
    /// </summary>
    public static string GroupOfMember(Guid workspaceId, Guid userId) => $"workspace:{workspaceId:N}:member:{userId:N}";

    public override async Task OnConnectedAsync()
    {
        if (!Guid.TryParse(Context.User?.FindFirst(Policies.WorkspaceClaim)?.Value, out var workspaceId))
        {
            Context.Abort();
            return;
        }
        List<string> groups = [GroupOf(workspaceId)];
        // An integration client has no read state of its own, so it has no member group either.
        if (Context.User?.FindFirst(TokenPrincipals.ClientClaim) is null
            && Guid.TryParse(Context.User?.FindFirst(Claims.Subject)?.Value, out var userId))
            groups.Add(GroupOfMember(workspaceId, userId));
        // Every node hears of the listener before the connection joins: from then on, their events for it are published.
        Context.Items[GroupsItem] = groups;
        await listeners.JoinAsync(groups, Context.ConnectionAborted);
        foreach (var group in groups)
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        await base.OnConnectedAsync();
        await Clients.Caller.SendAsync(Listening, new { type = Listening }, Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(GroupsItem, out var joined) && joined is List<string> groups)
            listeners.Leave(groups);
        return base.OnDisconnectedAsync(exception);
    }
}
