using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class ConversationApiTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task An_agent_lists_reads_replies_assigns_notes_and_resolves()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        var received = await channel.ReceiveAsync("1001", "Where is my order?", name: "Ann");

        var inbox = await (await agent.Client.GetAsync("/api/v1/conversations?status=open")).ReadAsync<Page<ConversationView>>();
        var listed = Assert.Single(inbox.Items);
        Assert.Equal(received.ConversationId, listed.Id);
        Assert.Equal("Ann", listed.ContactName);
        Assert.NotNull(listed.WaitingSince);

        var history = await (await agent.Client.GetAsync($"/api/v1/conversations/{listed.Id}/messages")).ReadAsync<Page<MessageView>>();
        Assert.Equal("Where is my order?", Assert.Single(history.Items).Text);

        var reply = await (await agent.Client.PostJsonAsync($"/api/v1/conversations/{listed.Id}/messages", new { text = "It ships today." }))
            .ReadAsync<ReplyView>(HttpStatusCode.Created);
        Assert.Equal("queued", reply.Message.Status);
        Assert.Equal(agent.UserId, reply.Message.AuthorUserId);
        Assert.False(reply.Reopened);
        Assert.Equal(1L, await App.CountAsync("OutboxMessages", $"\"MessageId\" = '{reply.Message.Id}'"));
        var payload = await App.OutboxPayloadAsync(reply.Message.Id);
        Assert.Equal("chat-1001", payload.GetProperty("ConversationKey").GetString());

        var assigned = await (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{listed.Id}/assignee", new { userId = agent.UserId }))
            .ReadAsync<ConversationView>();
        Assert.Equal(agent.UserId, assigned.AssigneeId);

        var note = await (await agent.Client.PostJsonAsync($"/api/v1/conversations/{listed.Id}/notes", new { text = "Gave the tracking link." }))
            .ReadAsync<MessageView>(HttpStatusCode.Created);
        Assert.True(note.IsPrivate);
        Assert.Equal(0L, await App.CountAsync("OutboxMessages", $"\"MessageId\" = '{note.Id}'"));

        var resolved = await (await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{listed.Id}/status", new { status = "resolved" }))
            .ReadAsync<ConversationView>();
        Assert.Equal("resolved", resolved.Status);
        Assert.NotNull(resolved.ResolvedAt);
        Assert.NotNull(resolved.FirstResponseAt);

        var mine = await (await agent.Client.GetAsync("/api/v1/conversations?mine=true&status=resolved")).ReadAsync<Page<ConversationView>>();
        Assert.Equal(listed.Id, Assert.Single(mine.Items).Id);
    }

    [Fact]
    public async Task Replying_to_a_resolved_conversation_reopens_it_and_says_so()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Thanks!");
        await agent.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/status", new { status = "resolved" });

        var reply = await (await agent.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages", new { text = "One more thing" }))
            .ReadAsync<ReplyView>(HttpStatusCode.Created);

        Assert.True(reply.Reopened);
        var conversation = await (await agent.GetAsync($"/api/v1/conversations/{received.ConversationId}")).ReadAsync<ConversationView>();
        Assert.Equal("open", conversation.Status);
        Assert.Null(conversation.ResolvedAt);
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_it()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        var other = await (await App.CreateWorkspaceAsync("Globex")).ClientAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Hello");

        Assert.Empty((await (await other.GetAsync("/api/v1/conversations")).ReadAsync<Page<ConversationView>>()).Items);
        await (await other.GetAsync($"/api/v1/conversations/{received.ConversationId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/conversations/{received.ConversationId}/messages")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages", new { text = "hi" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/contacts/{received.ContactId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await App.CountAsync("OutboxMessages"));
    }

    [Fact]
    public async Task An_auditor_reads_conversations_but_cannot_reply()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var auditor = await workspace.ClientAsync(WorkspaceRole.Auditor);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1001", "Hello");

        Assert.Single((await (await auditor.GetAsync("/api/v1/conversations")).ReadAsync<Page<ConversationView>>()).Items);
        var response = await auditor.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages", new { text = "hi" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0L, await App.CountAsync("OutboxMessages"));
    }

    [Fact]
    public async Task An_anonymous_caller_gets_401()
    {
        var response = await App.CreateClient().GetAsync("/api/v1/conversations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_inbox_pages_by_latest_activity_without_skipping_or_repeating()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        var expected = new List<Guid>();
        for (var i = 0; i < 7; i++)
            expected.Insert(0, (await channel.ReceiveAsync($"c{i}", $"Hello {i}")).ConversationId);

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await agent.GetAsync("/api/v1/conversations?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"))).ReadAsync<Page<ConversationView>>();
            seen.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Filters_narrow_the_inbox_to_unassigned_labelled_or_searched_conversations()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.MemberAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        var ann = await channel.ReceiveAsync("1", "Hi", name: "Ann Lee");
        var bob = await channel.ReceiveAsync("2", "Hi", name: "Bob Stone");
        await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{ann.ConversationId}/assignee", new { userId = agent.UserId });
        await agent.Client.PutAsJsonAsync($"/api/v1/conversations/{bob.ConversationId}/labels", new { labels = new[] { "VIP" } });

        async Task<Guid[]> IdsAsync(string query) =>
            (await (await agent.Client.GetAsync("/api/v1/conversations?" + query)).ReadAsync<Page<ConversationView>>()).Items.Select(c => c.Id).ToArray();

        Assert.Equal([bob.ConversationId], await IdsAsync("unassigned=true"));
        Assert.Equal([ann.ConversationId], await IdsAsync($"assigneeId={agent.UserId}"));
        Assert.Equal([bob.ConversationId], await IdsAsync("label=vip"));
        Assert.Equal([ann.ConversationId], await IdsAsync("search=ann"));
        Assert.Equal([bob.ConversationId], await IdsAsync($"contactId={bob.ContactId}"));
    }

    [Fact]
    public async Task Messages_page_backwards_from_the_latest()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        ReceivedMessageIds? ids = null;
        for (var i = 0; i < 5; i++)
        {
            var received = await channel.ReceiveAsync("1", $"m{i}");
            ids = new ReceivedMessageIds(received.ConversationId);
        }

        var first = await (await agent.GetAsync($"/api/v1/conversations/{ids!.ConversationId}/messages?limit=3")).ReadAsync<Page<MessageView>>();
        var second = await (await agent.GetAsync($"/api/v1/conversations/{ids.ConversationId}/messages?limit=3&cursor={first.NextCursor}")).ReadAsync<Page<MessageView>>();

        Assert.Equal(["m4", "m3", "m2"], first.Items.Select(m => m.Text));
        Assert.Equal(["m1", "m0"], second.Items.Select(m => m.Text));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task Bulk_resolves_many_conversations_at_once()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var channel = new Channel(App, workspace.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
            ids.Add((await channel.ReceiveAsync($"c{i}", "Hi")).ConversationId);

        var response = await agent.PostJsonAsync("/api/v1/conversations/bulk", new { conversationIds = ids, status = "resolved", addLabels = new[] { "done" } });

        Assert.Equal(4, (await response.ReadAsync<JsonElement>()).GetProperty("count").GetInt32());
        Assert.Equal(4L, await App.CountAsync("Conversations", "\"Status\" = 3"));
    }

    [Fact]
    public async Task Bulk_with_an_unknown_conversation_changes_nothing()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var known = (await new Channel(App, workspace.Id).ReceiveAsync("1", "Hi")).ConversationId;

        var response = await agent.PostJsonAsync("/api/v1/conversations/bulk", new { conversationIds = new[] { known, Guid.NewGuid() }, status = "resolved" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await App.CountAsync("Conversations", "\"Status\" = 3"));
    }

    [Fact]
    public async Task Bulk_takes_at_most_a_hundred_conversations()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);

        var response = await agent.PostJsonAsync("/api/v1/conversations/bulk",
            new { conversationIds = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()), status = "resolved" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("conversationIds", out _));
    }

    [Fact]
    public async Task Snoozing_without_a_future_time_gets_a_field_error()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1", "Hi");

        var response = await agent.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/status",
            new { status = "snoozed", snoozedUntil = DateTimeOffset.UtcNow.AddHours(-1) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("snoozedUntil", out _));
    }

    [Fact]
    public async Task Assigning_to_someone_who_is_not_a_member_gets_404()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var outsider = await (await App.CreateWorkspaceAsync("Globex")).MemberAsync(WorkspaceRole.Agent);
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1", "Hi");

        var response = await agent.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/assignee", new { userId = outsider.UserId });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await App.CountAsync("Conversations", "\"AssigneeId\" IS NOT NULL"));
    }

    private sealed record ReceivedMessageIds(Guid ConversationId);
}
