using System.Net;
using System.Net.Http.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class ContactCrmTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_partial_update_changes_only_the_fields_sent()
    {
        var (_, agent) = await AgentAsync();
        var contact = await CreateAsync(agent, new { displayName = "Ann", emails = new[] { "ann@example.com" } });

        var updated = await (await agent.PatchAsJsonAsync($"/api/v1/contacts/{contact.Id}", new { company = "Acme Ltd", tags = new[] { "VIP" } }))
            .ReadAsync<ContactView>();

        Assert.Equal("Ann", updated.DisplayName);
        Assert.Equal(["ann@example.com"], updated.Emails);
        Assert.Equal("Acme Ltd", updated.Company);
        Assert.Equal(["vip"], updated.Tags);
    }

    [Fact]
    public async Task Typed_attributes_are_checked_against_their_definitions_and_stored_canonically()
    {
        var (workspace, agent) = await AgentAsync();
        await DefineAsync(workspace, new { key = "seats", label = "Seats", type = "number" });
        await DefineAsync(workspace, new { key = "plan", label = "Plan", type = "list", options = new[] { "free", "gold" } });
        var contact = await CreateAsync(agent, new { displayName = "Ann" });

        var updated = await (await agent.PatchAsJsonAsync($"/api/v1/contacts/{contact.Id}", new { attributes = new { seats = 5, plan = "gold" } }))
            .ReadAsync<ContactView>();
        Assert.Equal("5", updated.Attributes["seats"]);
        Assert.Equal("gold", updated.Attributes["plan"]);

        var filtered = await (await agent.GetAsync("/api/v1/contacts?attribute=plan:gold")).ReadAsync<Page<ContactView>>();
        Assert.Equal([contact.Id], filtered.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Unknown_attributes_and_wrong_types_get_field_errors_and_change_nothing()
    {
        var (workspace, agent) = await AgentAsync();
        await DefineAsync(workspace, new { key = "seats", label = "Seats", type = "number" });
        var contact = await CreateAsync(agent, new { displayName = "Ann" });

        var response = await agent.PatchAsJsonAsync($"/api/v1/contacts/{contact.Id}",
            new { displayName = "Changed", attributes = new { seats = "many", shoeSize = "42" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("attributes.seats", out _));
        Assert.True(errors.TryGetProperty("attributes.shoeSize", out _));
        var read = await (await agent.GetAsync($"/api/v1/contacts/{contact.Id}")).ReadAsync<ContactView>();
        Assert.Equal("Ann", read.DisplayName);
    }

    [Fact]
    public async Task An_invalid_phone_number_in_an_update_gets_a_field_error()
    {
        var (_, agent) = await AgentAsync();
        var contact = await CreateAsync(agent, new { displayName = "Ann" });

        var response = await agent.PatchAsJsonAsync($"/api/v1/contacts/{contact.Id}", new { phoneNumbers = new[] { "555-0123" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("phoneNumbers[0]", out _));
    }

    [Fact]
    public async Task Merging_moves_accounts_conversations_notes_tags_and_attributes_to_the_survivor()
    {
        var (workspace, agent) = await AgentAsync();
        await DefineAsync(workspace, new { key = "plan", label = "Plan", type = "text" });
        var telegram = await new Channel(App, workspace.Id).ReceiveAsync("tg-1", "Hi from Telegram", name: "Ann");
        var whatsapp = await new Channel(App, workspace.Id, Domain.Channels.ChannelType.WhatsApp).ReceiveAsync("4915112345678", "Hi from WhatsApp", name: "Ann L.");
        await agent.PatchAsJsonAsync($"/api/v1/contacts/{whatsapp.ContactId}", new { tags = new[] { "whatsapp" }, attributes = new { plan = "gold" } });
        await agent.PostJsonAsync($"/api/v1/contacts/{whatsapp.ContactId}/notes", new { text = "Prefers mornings" });

        var merged = await (await agent.PostJsonAsync($"/api/v1/contacts/{telegram.ContactId}/merge", new { duplicateId = whatsapp.ContactId }))
            .ReadAsync<ContactView>();

        Assert.Equal(["whatsapp"], merged.Tags);
        Assert.Equal("gold", merged.Attributes["plan"]);
        await (await agent.GetAsync($"/api/v1/contacts/{whatsapp.ContactId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var identities = await (await agent.GetAsync($"/api/v1/contacts/{telegram.ContactId}/identities")).ReadAsync<List<System.Text.Json.JsonElement>>();
        Assert.Equal(2, identities.Count);
        var conversations = await (await agent.GetAsync($"/api/v1/conversations?contactId={telegram.ContactId}")).ReadAsync<Page<ConversationView>>();
        Assert.Equal(2, conversations.Items.Length);

        var timeline = await (await agent.GetAsync($"/api/v1/contacts/{telegram.ContactId}/timeline")).ReadAsync<Page<TimelineView>>();
        Assert.Equal("merge", timeline.Items[0].Type);
        Assert.Contains(timeline.Items, i => i.Type == "contactNote" && i.Text == "Prefers mornings");
        Assert.Contains(timeline.Items, i => i.Type == "message" && i.Text == "Hi from WhatsApp" && i.Channel == "whatsapp");
        Assert.Contains(timeline.Items, i => i.Type == "message" && i.Text == "Hi from Telegram" && i.Channel == "telegram");

        var next = await new Channel(App, workspace.Id, Domain.Channels.ChannelType.WhatsApp).ReceiveAsync("4915112345678", "Me again");
        Assert.Equal(telegram.ContactId, next.ContactId);
    }

    [Fact]
    public async Task Merging_a_contact_with_itself_gets_400()
    {
        var (_, agent) = await AgentAsync();
        var contact = await CreateAsync(agent, new { displayName = "Ann" });

        var response = await agent.PostJsonAsync($"/api/v1/contacts/{contact.Id}/merge", new { duplicateId = contact.Id });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("duplicateId", out _));
    }

    [Fact]
    public async Task Merging_with_a_contact_of_another_workspace_gets_404_and_changes_nothing()
    {
        var (_, agent) = await AgentAsync();
        var (_, stranger) = await AgentAsync("Globex");
        var mine = await CreateAsync(agent, new { displayName = "Ann" });
        var theirs = await CreateAsync(stranger, new { displayName = "Bob" });

        var response = await agent.PostJsonAsync($"/api/v1/contacts/{mine.Id}/merge", new { duplicateId = theirs.Id });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2L, await App.CountAsync("Contacts"));
    }

    [Fact]
    public async Task The_timeline_shows_messages_notes_and_status_changes_newest_first_in_pages()
    {
        var (workspace, agent) = await AgentAsync();
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1", "Hello");
        await agent.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/messages", new { text = "Hi Ann" });
        await agent.PostJsonAsync($"/api/v1/conversations/{received.ConversationId}/notes", new { text = "Internal" });
        await agent.PutAsJsonAsync($"/api/v1/conversations/{received.ConversationId}/status", new { status = "resolved" });
        await agent.PostJsonAsync($"/api/v1/contacts/{received.ContactId}/notes", new { text = "Called back" });

        var types = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await agent.GetAsync($"/api/v1/contacts/{received.ContactId}/timeline?limit=2" + (cursor is null ? "" : $"&cursor={cursor}")))
                .ReadAsync<Page<TimelineView>>();
            types.AddRange(page.Items.Select(i => i.Type));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["contactNote", "event", "note", "message", "message"], types);
    }

    [Fact]
    public async Task Consent_decisions_are_kept_as_history_and_the_latest_counts()
    {
        var (_, agent) = await AgentAsync();
        var contact = await CreateAsync(agent, new { displayName = "Ann" });

        await agent.PostJsonAsync($"/api/v1/contacts/{contact.Id}/consents", new { granted = true, purpose = "newsletter", legalBasis = "consent", source = "web form" });
        await agent.PostJsonAsync($"/api/v1/contacts/{contact.Id}/consents", new { granted = false, purpose = "newsletter", legalBasis = "consent", source = "phone call" });

        var read = await (await agent.GetAsync($"/api/v1/contacts/{contact.Id}")).ReadAsync<ContactView>();
        Assert.False(read.MarketingConsent);
        var history = await (await agent.GetAsync($"/api/v1/contacts/{contact.Id}/consents")).ReadAsync<List<System.Text.Json.JsonElement>>();
        Assert.Equal(["phone call", "web form"], history.Select(h => h.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task A_channel_account_of_another_contact_cannot_be_linked_twice()
    {
        var (workspace, agent) = await AgentAsync();
        await new Channel(App, workspace.Id).ReceiveAsync("tg-1", "Hi");
        var other = await CreateAsync(agent, new { displayName = "Bob" });

        var response = await agent.PostJsonAsync($"/api/v1/contacts/{other.Id}/identities", new { channel = "telegram", externalId = "tg-1" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Search_finds_a_contact_by_channel_account_and_filters_by_channel_and_tag()
    {
        var (workspace, agent) = await AgentAsync();
        var received = await new Channel(App, workspace.Id, Domain.Channels.ChannelType.Discord).ReceiveAsync("discord-42", "Hi", name: "Zed");
        await CreateAsync(agent, new { displayName = "Bob" });
        await agent.PatchAsJsonAsync($"/api/v1/contacts/{received.ContactId}", new { tags = new[] { "gamer" } });

        foreach (var query in new[] { "search=discord-42", "channel=discord", "tag=gamer" })
        {
            var page = await (await agent.GetAsync("/api/v1/contacts?" + query)).ReadAsync<Page<ContactView>>();
            Assert.Equal([received.ContactId], page.Items.Select(c => c.Id));
        }
    }

    [Fact]
    public async Task Deleting_a_contact_removes_its_conversations_and_messages()
    {
        var (workspace, agent) = await AgentAsync();
        var received = await new Channel(App, workspace.Id).ReceiveAsync("1", "Hi");

        var response = await agent.DeleteAsync($"/api/v1/contacts/{received.ContactId}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0L, await App.CountAsync("Conversations"));
        Assert.Equal(0L, await App.CountAsync("Messages"));
        Assert.Equal(0L, await App.CountAsync("ChannelIdentities"));
    }

    [Fact]
    public async Task An_agent_cannot_define_attributes()
    {
        var (_, agent) = await AgentAsync();

        var response = await agent.PostJsonAsync("/api/v1/contact-attributes", new { key = "plan", label = "Plan", type = "text" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<(TestWorkspace Workspace, HttpClient Agent)> AgentAsync(string name = "Acme")
    {
        var workspace = await App.CreateWorkspaceAsync(name);
        return (workspace, await workspace.ClientAsync(WorkspaceRole.Agent));
    }

    private static async Task<ContactView> CreateAsync(HttpClient client, object body) =>
        await (await client.PostJsonAsync("/api/v1/contacts", body)).ReadAsync<ContactView>(HttpStatusCode.Created);

    private static async Task DefineAsync(TestWorkspace workspace, object body) =>
        await (await workspace.Owner.Client.PostJsonAsync("/api/v1/contact-attributes", body)).ReadAsync<System.Text.Json.JsonElement>(HttpStatusCode.Created);
}
