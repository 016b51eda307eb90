using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class InboxHubTests(OneInboxApp app) : ApiTest(app)
{
    private static readonly string[] EventTypes = ["message.created", "message.updated", "conversation.created", "conversation.updated", "contact.updated", "conversation.read"];

    [Fact]
    public async Task A_second_agent_sees_each_event_and_another_workspace_sees_none()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        var colleague = await workspace.MemberAsync(WorkspaceRole.Agent);
        var stranger = await (await App.CreateWorkspaceAsync("Globex")).MemberAsync(WorkspaceRole.Agent);
        await using var colleagueHub = await ListenAsync(colleague);
        await using var strangerHub = await ListenAsync(stranger);

        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Hello");
        await colleagueHub.WaitForAsync("conversation.created", e => e.ConversationId == received.ConversationId);
        await colleagueHub.WaitForAsync("message.created", e => e.MessageId == received.MessageId);
        await colleagueHub.WaitForAsync("contact.updated", e => e.ContactId == received.ContactId);

        var reply = await (await agent.Client.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages", new { text = "Hi!" }))
            .ReadAsync<ReplyView>(System.Net.HttpStatusCode.Created);
        await colleagueHub.WaitForAsync("message.created", e => e.MessageId == reply.Message.Id);

        await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/assignee", new { userId = agent.UserId });
        await colleagueHub.WaitForAsync("conversation.updated", e => e.ConversationId == received.ConversationId && e.Change == "assignee");

        await agent.Client.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/notes", new { text = "note" });
        await colleagueHub.WaitForAsync("message.created", e => e.ConversationId == received.ConversationId && e.MessageId != reply.Message.Id && e.MessageId != received.MessageId);

        await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/status", new { status = "resolved" });
        await colleagueHub.WaitForAsync("conversation.updated", e => e.ConversationId == received.ConversationId && e.Change == "status");

        await agent.Client.PatchAsJsonAsync($"/api/v1/contacts/{received.ContactId}", new { company = "Acme Ltd" });
        await colleagueHub.WaitForAsync("contact.updated", e => e.ContactId == received.ContactId && e.Change == null);

        // The stranger's connection is live (it hears its own workspace), yet heard nothing of Acme's.
        var own = await new Channel(App, (await App.ScalarAsync<Guid>($"SELECT \"WorkspaceId\" FROM \"Members\" WHERE \"UserId\" = '{stranger.UserId}'"))).ReceiveAsync("9", "Hi");
        await strangerHub.WaitForAsync("message.created", e => e.MessageId == own.MessageId);
        Assert.DoesNotContain(strangerHub.Events, e => e.ConversationId == received.ConversationId || e.ContactId == received.ContactId);
    }

    [Fact]
    public async Task Reading_a_conversation_tells_only_the_readers_own_connections()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        var colleague = await workspace.MemberAsync(WorkspaceRole.Agent);
        var strangers = await App.CreateWorkspaceAsync("Globex");
        var stranger = await strangers.MemberAsync(WorkspaceRole.Agent);
        await using var laptop = await ListenAsync(agent);
        await using var phone = await ListenAsync(agent);
        await using var colleagueHub = await ListenAsync(colleague);
        await using var strangerHub = await ListenAsync(stranger);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Hello");
        await colleagueHub.WaitForAsync("message.created", e => e.MessageId == received.MessageId);

        (await agent.Client.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null)).EnsureSuccessStatusCode();

        await laptop.WaitForAsync("conversation.read", e => e.ConversationId == received.ConversationId && e.UnreadCount == 0);
        await phone.WaitForAsync("conversation.read", e => e.ConversationId == received.ConversationId && e.UnreadCount == 0);
        // The stranger's connection is live (it hears its own reading), yet heard nothing of Acme's.
        var own = await new Channel(App, strangers.Id).ReceiveAsync("9", "Hi");
        (await stranger.Client.PostAsync($"/api/v1/conversations/{own.ConversationId}/read", null)).EnsureSuccessStatusCode();
        await strangerHub.WaitForAsync("conversation.read", e => e.ConversationId == own.ConversationId);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(colleagueHub.Events, e => e.Type == "conversation.read");
        Assert.DoesNotContain(strangerHub.Events, e => e.Type == "conversation.read" && e.ConversationId == received.ConversationId);
        Assert.DoesNotContain(laptop.Events, e => e.Type == "conversation.read" && e.ConversationId == own.ConversationId);

        // The colleague's own reading is theirs alone: the agent's tabs keep their single event.
        (await colleague.Client.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null)).EnsureSuccessStatusCode();
        await colleagueHub.WaitForAsync("conversation.read", e => e.ConversationId == received.ConversationId);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(laptop.Events, e => e.Type == "conversation.read");
        Assert.Single(phone.Events, e => e.Type == "conversation.read");
    }

    [Fact]
    public async Task Events_of_a_change_the_database_refused_are_never_sent()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        await using var hub = await ListenAsync(agent);
        var channel = new Channel(App, workspace.Id);
        var old = await channel.ReceiveAsync("1001", "Hello");
        await agent.Client.PostJsonAsync("/api/v1/conversations/bulk", new { conversationIds = new[] { old.ConversationId }, status = "resolved" });
        var current = await channel.ReceiveAsync("1001", "Hello again");
        await hub.WaitForAsync("conversation.created", e => e.ConversationId == current.ConversationId);
        var before = hub.Events.Count(e => e.ConversationId == old.ConversationId);

        // Reopening the old conversation beside the open one breaks the one-unresolved-per-contact index at commit.
        var refused = await agent.Client.PostJsonAsync("/api/v1/conversations/bulk", new { conversationIds = new[] { old.ConversationId }, status = "open" });
        await refused.AssertProblemAsync(System.Net.HttpStatusCode.Conflict);
        await agent.Client.PostJsonAsync($"/api/v1/conversations/{current.ConversationId}/notes", new { text = "after" });
        await hub.WaitForAsync("message.created", e => e.ConversationId == current.ConversationId && e.MessageId != current.MessageId);

        Assert.Equal(before, hub.Events.Count(e => e.ConversationId == old.ConversationId));
    }

    [Fact]
    public async Task A_connection_without_a_token_is_refused()
    {
        var connection = Connect(accessToken: null);

        await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync());
        await connection.DisposeAsync();
    }

    private async Task<Listener> ListenAsync(TestMember member)
    {
        var connection = Connect(member.Token.AccessToken);
        var listener = new Listener(connection);
        foreach (var type in EventTypes)
            connection.On<JsonElement>(type, payload => listener.Record(type, payload));
        await connection.StartListeningAsync();
        return listener;
    }

    /// <summary>A WebSocket connection, as browsers make it: the token travels in the access_token query parameter.</summary>
    private HubConnection Connect(string? accessToken) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(App.Server.BaseAddress, "hubs/inbox" + (accessToken is null ? "" : $"?access_token={Uri.EscapeDataString(accessToken)}")), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, ct) => await App.Server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            })
            .Build();

    public sealed record Heard(string Type, Guid? ConversationId, Guid? MessageId, Guid? ContactId, string? Change, int? UnreadCount);

    private sealed class Listener(HubConnection connection) : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Heard> _events = new();

        public IReadOnlyList<Heard> Events => [.. _events];

        public void Record(string type, JsonElement payload) =>
            _events.Enqueue(new Heard(type, Guid(payload, "conversationId"), Guid(payload, "messageId"), Guid(payload, "contactId"),
                payload.TryGetProperty("change", out var change) && change.ValueKind == JsonValueKind.String ? change.GetString() : null,
                payload.TryGetProperty("unreadCount", out var unread) && unread.ValueKind == JsonValueKind.Number ? unread.GetInt32() : null));

        public async Task<Heard> WaitForAsync(string type, Func<Heard, bool> match)
        {
            var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
            while (TimeProvider.System.GetUtcNow() < deadline)
            {
                if (_events.FirstOrDefault(e => e.Type == type && match(e)) is { } found)
                    return found;
                await Task.Delay(25);
            }
            throw new Xunit.Sdk.XunitException($"No {type} event arrived; heard: {string.Join(", ", _events.Select(e => e.Type))}");
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();

        private static Guid? Guid(JsonElement payload, string name) =>
            payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetGuid() : null;
    }
}
