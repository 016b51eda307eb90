using System.Net;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class UnreadCountTests(OneInboxApp app) : ApiTest(app)
{
    private sealed record UnreadView(Guid Id, int UnreadCount);

    [Fact]
    public async Task Each_agent_sees_their_own_unread_count_and_reading_resets_only_theirs()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var ann = await workspace.ClientAsync(WorkspaceRole.Agent);
        var bob = await workspace.ClientAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        var received = await channel.ReceiveAsync("1001", "Hello?");
        await channel.ReceiveAsync("1001", "Anyone there?");

        Assert.Equal(2, await UnreadAsync(ann, received.ConversationId));
        Assert.Equal(2, await UnreadAsync(bob, received.ConversationId));

        var read = await ann.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null);
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);

        Assert.Equal(0, await UnreadAsync(ann, received.ConversationId));
        Assert.Equal(2, await UnreadAsync(bob, received.ConversationId));
        Assert.Equal(0, await ListedUnreadAsync(ann, received.ConversationId));
        Assert.Equal(2, await ListedUnreadAsync(bob, received.ConversationId));
    }

    [Fact]
    public async Task A_new_customer_message_raises_the_count_again_but_the_agents_own_reply_does_not()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        var received = await channel.ReceiveAsync("1001", "Hello?");
        (await agent.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null)).EnsureSuccessStatusCode();

        (await agent.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages", new { text = "Hi, how can I help?" }))
            .EnsureSuccessStatusCode();
        Assert.Equal(0, await UnreadAsync(agent, received.ConversationId));

        await channel.ReceiveAsync("1001", "My parcel is late.");
        Assert.Equal(1, await UnreadAsync(agent, received.ConversationId));
    }

    [Fact]
    public async Task The_unread_filter_lists_only_conversations_with_news_for_the_caller()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        var seen = await channel.ReceiveAsync("1001", "Hello");
        var fresh = await channel.ReceiveAsync("2002", "Hi there");
        (await agent.PostAsync($"/api/v1/conversations/{seen.ConversationId}/read", null)).EnsureSuccessStatusCode();

        var unread = await (await agent.GetAsync("/api/v1/conversations?unread=true")).ReadAsync<Page<UnreadView>>();

        var only = Assert.Single(unread.Items);
        Assert.Equal(fresh.ConversationId, only.Id);
        Assert.Equal(1, only.UnreadCount);
    }

    [Fact]
    public async Task An_auditor_may_mark_a_conversation_read()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var auditor = await workspace.ClientAsync(WorkspaceRole.Auditor);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Hello");

        var read = await auditor.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null);

        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        Assert.Equal(0, await UnreadAsync(auditor, received.ConversationId));
    }

    [Fact]
    public async Task Another_workspace_cannot_mark_a_conversation_read()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        var other = await (await App.CreateWorkspaceAsync("Globex")).ClientAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Hello");

        await (await other.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await App.CountAsync("ConversationReadMarks", $"\"ConversationId\" = '{received.ConversationId}'"));
    }

    [Fact]
    public async Task Reading_twice_keeps_one_mark_per_member()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Hello");

        (await agent.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null)).EnsureSuccessStatusCode();
        (await agent.PostAsync($"/api/v1/conversations/{received.ConversationId}/read", null)).EnsureSuccessStatusCode();

        Assert.Equal(1L, await App.CountAsync("ConversationReadMarks", $"\"ConversationId\" = '{received.ConversationId}'"));
    }

    private static async Task<int> UnreadAsync(HttpClient client, Guid conversationId) =>
        (await (await client.GetAsync($"/api/v1/conversations/{conversationId}")).ReadAsync<UnreadView>()).UnreadCount;

    private static async Task<int> ListedUnreadAsync(HttpClient client, Guid conversationId) =>
        (await (await client.GetAsync("/api/v1/conversations")).ReadAsync<Page<UnreadView>>()).Items.Single(c => c.Id == conversationId).UnreadCount;
}
