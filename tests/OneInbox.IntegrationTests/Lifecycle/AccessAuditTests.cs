using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.IntegrationTests.Lifecycle;

/// <summary>
/// The audit of access to personal data (issue #14 item 3): every read endpoint that returns personal data records who
/// read which record, through which client, from where; auditors filter and export the log; a contact's page shows who
/// accessed them. The sweep over the OpenAPI document fails for a read endpoint nobody classified.
/// </summary>
public class AccessAuditTests(OneInboxApp app) : ApiTest(app)
{
    /// <summary>
    /// Every GET operation: the access action its reads are recorded under, or null with why it holds no personal data
    /// of customers (configuration, counts, the caller's own account) or how it is audited otherwise.
    /// </summary>
    private static readonly Dictionary<string, string?> ReadOperations = new()
    {
        ["GetContact"] = "contact.read",
        ["ListContacts"] = "contact.search",
        ["ListChannelIdentities"] = "contact.identities.read",
        ["ListConsentHistory"] = "contact.consents.read",
        ["GetContactTimeline"] = "contact.timeline.read",
        ["ExportContacts"] = "contact.export",
        ["ListConversations"] = "conversation.list",
        ["GetConversation"] = "conversation.read",
        ["ListConversationMessages"] = "conversation.messages.read",
        ["DownloadAttachment"] = "attachment.download",
        ["ListEnvelopes"] = "channel.envelopes.read",
        ["ListOutbox"] = "channel.outbox.read",
        ["ListFlowInstances"] = "flowInstance.list",
        ["GetFlowInstance"] = "flowInstance.read",
        ["ListReviewCases"] = "review.list",
        ["GetReviewCase"] = "review.read",
        ["ExportReviewRecordJson"] = "review.record",
        ["ExportReviewRecordHtml"] = "review.record",
        ["ListPrivacyRequests"] = "privacyRequest.list",
        ["GetPrivacyRequest"] = "privacyRequest.read",
        // Audited by its use case in the same unit of work (privacy.export_downloaded, with the download count).
        ["DownloadPrivacyExport"] = null,
        // Status and sizes of exports, no content.
        ["ListPrivacyExports"] = null,
        // The caller's own account and the workspace's colleagues and configuration: no customer's data.
        ["GetMe"] = null, ["ListMembers"] = null, ["ListInvitations"] = null, ["ListIntegrationClients"] = null, ["GetWorkspace"] = null,
        ["ListTeams"] = null, ["ListCannedResponses"] = null, ["ListContactAttributes"] = null, ["ListActivityDescriptors"] = null,
        ["ListChannelTypes"] = null, ["ListChannelConnections"] = null, ["GetChannelConnection"] = null, ["ListChannelTemplates"] = null,
        ["ListFlows"] = null, ["GetFlow"] = null, ["ListFlowVersions"] = null, ["ExportFlow"] = null,
        ["GetPrivacySettings"] = null, ["ListLegalHolds"] = null, ["GetRetentionSettings"] = null, ["GetReviewSettings"] = null,
        // Platform administrators: closed workspaces' names and dates.
        ["ListClosedWorkspaces"] = null,
        // Counts and durations, nobody named.
        ["GetConversationReport"] = null,
        // Counts per colleague, team, channel or connection, with their current names; no customer.
        ["GetAgentReport"] = null, ["GetTeamReport"] = null, ["GetChannelReport"] = null, ["GetConnectionReport"] = null,
        // Counts only: per flow, version, node and outcome, hand-off causes as categories.
        ["GetAutomationReport"] = null, ["GetFlowFunnel"] = null,
        // Counts only: per flow node, per type.
        ["GetReviewStats"] = null, ["GetProcessingRecord"] = null,
        // The audit log itself (reading it is not access to a customer's data).
        ["ListAuditEvents"] = null, ["ExportAuditEvents"] = null,
    };

    [Fact]
    public async Task Every_read_endpoint_is_classified_and_each_one_holding_personal_data_records_access()
    {
        var document = JsonDocument.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var reads = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Where(m => m.Name == "get").Select(m => m.Value.GetProperty("operationId").GetString()!))
            .ToList();
        var audited = App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, e => e.Metadata.GetMetadata<AccessAudited>()?.Action);

        var unclassified = reads.Where(id => !ReadOperations.ContainsKey(id)).ToList();
        Assert.True(unclassified.Count == 0, "Read endpoints nobody classified (audit them or say why not): " + string.Join(", ", unclassified));
        Assert.All(reads, id => Assert.Equal(ReadOperations[id], audited[id]));
    }

    [Fact]
    public async Task Reading_a_contact_is_recorded_with_who_what_and_through_which_client_and_never_the_search_term()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var admin = await workspace.MemberAsync(WorkspaceRole.Admin);
        admin.Client.DefaultRequestHeaders.UserAgent.ParseAdd("CrmSync/2.1");
        var contact = await (await admin.Client.PostAsJsonAsync("/api/v1/contacts", new { displayName = "Greta Geheim" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var contactId = contact.GetProperty("id").GetGuid();
        var other = await (await admin.Client.PostAsJsonAsync("/api/v1/contacts", new { displayName = "Someone Else" })).ReadAsync<JsonElement>(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/contacts/{contactId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/contacts/{contactId}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/api/v1/contacts?search=Gret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/contacts/{other.GetProperty("id").GetGuid()}")).StatusCode);
        // A read that fails records nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/api/v1/contacts/{Guid.NewGuid()}")).StatusCode);

        var owner = workspace.Owner.Client;
        var trail = await WaitForEventsAsync(owner, $"contactId={contactId}", 2);
        Assert.Equal(["contact.timeline.read", "contact.read"], trail.Select(e => e.GetProperty("action").GetString()));
        Assert.All(trail, e =>
        {
            Assert.Equal(admin.UserId.ToString(), e.GetProperty("actor").GetString());
            Assert.Equal(contactId, e.GetProperty("subjectContactId").GetGuid());
            Assert.Equal("CrmSync/2.1", e.GetProperty("userAgent").GetString());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("client").GetString()));
        });
        var all = await WaitForEventsAsync(owner, "actor=" + admin.UserId, 4);
        var search = Assert.Single(all, e => e.GetProperty("action").GetString() == "contact.search");
        Assert.DoesNotContain("Gret", search.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(4, all.Count);

        var csv = await owner.GetStringAsync($"/api/v1/audit-events/export?contactId={contactId}");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("occurredAt,action,actor,target,subjectContactId,client,ipAddress,userAgent,details", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains($"contact.read,{admin.UserId},contact:{contactId},{contactId}", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_cannot_read_the_access_log_and_another_workspace_sees_none_of_it()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var contact = await (await workspace.Owner.Client.PostAsJsonAsync("/api/v1/contacts", new { displayName = "Hanna" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var contactId = contact.GetProperty("id").GetGuid();
        await workspace.Owner.Client.GetAsync($"/api/v1/contacts/{contactId}");
        await WaitForEventsAsync(workspace.Owner.Client, $"contactId={contactId}", 1);

        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        var stranger = (await App.CreateWorkspaceAsync("Globex")).Owner.Client;

        await (await agent.GetAsync("/api/v1/audit-events")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var theirs = await (await stranger.GetAsync($"/api/v1/audit-events?contactId={contactId}")).ReadAsync<JsonElement>();
        Assert.Empty(theirs.GetProperty("items").EnumerateArray());
        await (await workspace.Owner.Client.GetAsync("/api/v1/audit-events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>The access events matching the filter, newest first, once there are at least so many (they are written a moment after the read).</summary>
    private static async Task<List<JsonElement>> WaitForEventsAsync(HttpClient client, string filter, int atLeast)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await (await client.GetAsync($"/api/v1/audit-events?{filter}&limit=100")).ReadAsync<JsonElement>();
            var access = page.GetProperty("items").EnumerateArray().Where(IsAccess).ToList();
            if (access.Count >= atLeast)
                return access;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Waited in vain for {atLeast} access events ({filter}); saw {access.Count}.");
            await Task.Delay(100);
        }
    }

    private static bool IsAccess(JsonElement e) =>
        e.GetProperty("action").GetString() is { } action && new[] { ".read", ".search", ".list", ".download", ".export" }.Any(s => action.EndsWith(s, StringComparison.Ordinal));
}
