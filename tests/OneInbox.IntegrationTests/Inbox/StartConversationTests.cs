using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

/// <summary>An agent writes first: to a customer who wrote before on Telegram, and the clear refusals around it.</summary>
public class StartConversationTests(OneInboxApp app) : OneInbox.IntegrationTests.Flows.LiveFlowTest(app)
{
    [Fact]
    public async Task An_agent_writes_first_to_a_customer_whose_conversation_was_resolved_and_a_new_conversation_carries_it()
    {
        await WriteAsync(9001, "Is my parcel on its way?");
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the customer's message");
        var first = await ConversationAsync();
        await (await Admin.PutAsJsonAsync($"/api/v1/conversations/{first.GetProperty("id").GetGuid()}/status", new { status = "resolved" }, JsonSerializerOptions.Web))
            .ReadAsync<JsonElement>();

        var body = new { contactId = first.GetProperty("contactId").GetGuid(), connectionId = TelegramConnection.Connection.Id, text = "Your parcel arrives tomorrow." };
        var started = await (await Admin.PostJsonAsync("/api/v1/conversations", body)).ReadAsync<JsonElement>(HttpStatusCode.Created);

        Assert.True(started.GetProperty("started").GetBoolean());
        Assert.NotEqual(first.GetProperty("id").GetGuid(), started.GetProperty("conversation").GetProperty("id").GetGuid());
        Assert.Equal("open", started.GetProperty("conversation").GetProperty("status").GetString());
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Your parcel arrives tomorrow." && c.Text("chat_id") == ChatId);

        var again = await (await Admin.PostJsonAsync("/api/v1/conversations", body with { text = "Tracking: AB123." })).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.Equal(started.GetProperty("conversation").GetProperty("id").GetGuid(), again.GetProperty("conversation").GetProperty("id").GetGuid());
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Tracking: AB123.");
    }

    [Fact]
    public async Task Writing_first_is_refused_clearly_where_nobody_can_be_reached_and_another_workspace_connection_is_invisible()
    {
        var contact = await (await Admin.PostJsonAsync("/api/v1/contacts", new { displayName = "Walk-in customer" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var contactId = contact.GetProperty("id").GetGuid();

        var noIdentity = await (await Admin.PostJsonAsync("/api/v1/conversations", new { contactId, connectionId = TelegramConnection.Connection.Id, text = "Hello" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("conversation.no_identity", noIdentity.GetProperty("code").GetString());

        var api = await (await Admin.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Web widget", callbackUrl = "https://example.com/hook" })).ReadAsync<Created>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync($"/api/v1/contacts/{contactId}/identities", new { channel = "api", externalId = "visitor-1" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var customerFirst = await (await Admin.PostJsonAsync("/api/v1/conversations", new { contactId, connectionId = api.Connection.Id, text = "Hello" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("conversation.not_startable", customerFirst.GetProperty("code").GetString());

        var other = await App.CreateWorkspaceAsync("Globex");
        var otherConnection = await (await other.Owner.Client.PostJsonAsync("/api/v1/channels", new { type = "api", name = "Globex widget", callbackUrl = "https://example.com/globex" }))
            .ReadAsync<Created>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync("/api/v1/conversations", new { contactId, connectionId = otherConnection.Connection.Id, text = "Hello" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Admin.PostJsonAsync("/api/v1/conversations", new { contactId, connectionId = TelegramConnection.Connection.Id, text = "" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        var page = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }
}
