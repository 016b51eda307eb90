using System.Net;
using System.Text.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Privacy;

public class LegalHoldTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task An_owner_places_and_releases_a_contact_hold_and_both_are_audited()
    {
        var a = await App.CreateWorkspaceAsync();
        var contact = await (await a.Owner.Client.PostJsonAsync("/api/v1/contacts", new { displayName = "Held Customer" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var contactId = contact.GetProperty("id").GetGuid();

        var hold = await (await a.Owner.Client.PostJsonAsync("/api/v1/privacy/legal-holds", new { contactId, reason = "Tax records kept for 10 years" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.True(hold.GetProperty("active").GetBoolean());
        Assert.Equal(contactId, hold.GetProperty("contactId").GetGuid());

        var auditor = await a.ClientAsync(WorkspaceRole.Auditor);
        var listed = await (await auditor.GetAsync($"/api/v1/privacy/legal-holds?contactId={contactId}")).ReadAsync<JsonElement>();
        Assert.Equal("Tax records kept for 10 years", Assert.Single(listed.EnumerateArray()).GetProperty("reason").GetString());

        var released = await (await a.Owner.Client.DeleteAsync($"/api/v1/privacy/legal-holds/{hold.GetProperty("id").GetGuid()}")).ReadAsync<JsonElement>();
        Assert.False(released.GetProperty("active").GetBoolean());
        var again = await a.Owner.Client.DeleteAsync($"/api/v1/privacy/legal-holds/{hold.GetProperty("id").GetGuid()}");
        await again.AssertProblemAsync(HttpStatusCode.Conflict);

        var audit = await (await a.Owner.Client.GetAsync("/api/v1/audit-events")).Content.ReadAsStringAsync();
        Assert.Contains("privacy.legal_hold_placed", audit, StringComparison.Ordinal);
        Assert.Contains("privacy.legal_hold_released", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_owner_places_a_hold_and_a_hold_needs_a_reason()
    {
        var a = await App.CreateWorkspaceAsync();
        var admin = await a.ClientAsync(WorkspaceRole.Admin);
        await (await admin.PostJsonAsync("/api/v1/privacy/legal-holds", new { reason = "Litigation" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await a.Owner.Client.PostJsonAsync("/api/v1/privacy/legal-holds", new { reason = " " })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await a.Owner.Client.PostJsonAsync("/api/v1/privacy/legal-holds", new { contactId = Guid.NewGuid(), reason = "Litigation" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);

        var workspaceHold = await (await a.Owner.Client.PostJsonAsync("/api/v1/privacy/legal-holds", new { reason = "Litigation" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, workspaceHold.GetProperty("contactId").ValueKind);
    }
}
