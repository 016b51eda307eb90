using System.Net;
using System.Text;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OneInbox.IntegrationTests.Identity;

/// <summary>
/// Walks every operation of the OpenAPI document: anonymous callers get 401, a role without the permission
/// gets 403, and a member of workspace B naming workspace A's resources gets 404 with A's data unchanged.
/// An operation missing from <see cref="Access"/> fails the sweep, so a new endpoint cannot ship uncovered.
/// </summary>
public class IsolationSweepTests(OneInboxApp app, ITestOutputHelper output) : ApiTest(app)
{
    /// <summary>Who may call each operation. "anonymous" operations authenticate by other means (a token in the body).</summary>
    private static readonly Dictionary<string, string> Access = new()
    {
        ["GetMe"] = "read",
        ["ChangePassword"] = "read",
        ["SetMyAvailability"] = "work",
        ["ListMembers"] = "read",
        ["ChangeMemberRole"] = "manage",
        ["RemoveMember"] = "manage",
        ["CreateInvitation"] = "manage",
        ["ListInvitations"] = "manage",
        ["RevokeInvitation"] = "manage",
        ["AcceptInvitation"] = "anonymous",
        ["CreateIntegrationClient"] = "manage",
        ["ListIntegrationClients"] = "manage",
        ["RevokeIntegrationClient"] = "manage",
        ["GetWorkspace"] = "read",
        ["UpdateWorkspace"] = "manage",
        ["CreateWorkspace"] = "platform",
        ["ListClosedWorkspaces"] = "platform",
        ["ReopenWorkspace"] = "platform",
        ["CloseWorkspace"] = "manage",
        ["DeleteMyAccount"] = "read",
        ["AcceptPrivacyPolicy"] = "read",
        ["GetConversationReport"] = "read",
        ["GetAgentReport"] = "read",
        ["GetTeamReport"] = "read",
        ["GetChannelReport"] = "read",
        ["GetConnectionReport"] = "read",
        ["GetAutomationReport"] = "audit",
        ["GetFlowFunnel"] = "audit",
        ["SignUp"] = "anonymous",
        ["ListAuditEvents"] = "audit",
        ["ExportAuditEvents"] = "audit",
        ["CreateContact"] = "work",
        ["GetContact"] = "read",
        ["ListContacts"] = "read",
        ["PostApiChannelInbound"] = "anonymous",
        ["CreateChannelConnection"] = "manage",
        ["ListChannelConnections"] = "manage",
        ["ListChannelTypes"] = "manage",
        ["GetChannelConnection"] = "manage",
        ["UpdateChannelConnection"] = "manage",
        ["DeleteChannelConnection"] = "manage",
        ["ListEnvelopes"] = "manage",
        ["ReplayEnvelope"] = "manage",
        ["ListOutbox"] = "manage",
        ["ListChannelTemplates"] = "work",
        ["ReplayOutbox"] = "manage",
        ["ListActivityDescriptors"] = "read",
        ["ListFlows"] = "read",
        ["GetFlow"] = "read",
        ["ListFlowVersions"] = "read",
        ["ExportFlow"] = "read",
        ["CreateFlow"] = "manage",
        ["ImportFlow"] = "manage",
        ["UpdateFlow"] = "manage",
        ["SaveFlowDraft"] = "manage",
        ["DeleteFlow"] = "manage",
        ["DuplicateFlow"] = "manage",
        ["ValidateFlow"] = "manage",
        ["PublishFlow"] = "manage",
        ["RetractFlow"] = "manage",
        ["RollbackFlow"] = "manage",
        ["StartTestRun"] = "manage",
        ["StartFlow"] = "manage",
        ["SendTestRunMessage"] = "manage",
        ["ListFlowInstances"] = "read",
        ["GetFlowInstance"] = "read",
        ["CancelFlowInstance"] = "manage",
        ["RetryFlowIncident"] = "manage",
        ["UpdateContact"] = "work",
        ["DeleteContact"] = "work",
        ["ListChannelIdentities"] = "read",
        ["AddChannelIdentity"] = "work",
        ["RemoveChannelIdentity"] = "work",
        ["AddContactNote"] = "work",
        ["ListConsentHistory"] = "read",
        ["RecordConsent"] = "work",
        ["MergeContacts"] = "work",
        ["GetContactTimeline"] = "read",
        ["ListContactAttributes"] = "read",
        ["CreateContactAttribute"] = "manage",
        ["ListConversations"] = "read",
        ["GetConversation"] = "read",
        ["ListConversationMessages"] = "read",
        ["MarkConversationRead"] = "read",
        ["ReplyToConversation"] = "work",
        ["StartConversation"] = "work",
        ["AddConversationNote"] = "work",
        ["AssignConversation"] = "work",
        ["AssignConversationTeam"] = "work",
        ["ChangeConversationStatus"] = "work",
        ["SetConversationPriority"] = "work",
        ["SetConversationLabels"] = "work",
        ["BulkUpdateConversations"] = "work",
        ["ListTeams"] = "read",
        ["CreateTeam"] = "manage",
        ["UpdateTeam"] = "manage",
        ["DeleteTeam"] = "manage",
        ["ListCannedResponses"] = "read",
        ["CreateCannedResponse"] = "work",
        ["UpdateCannedResponse"] = "work",
        ["DeleteCannedResponse"] = "work",
        ["RenderCannedResponse"] = "work",
        ["UploadAttachment"] = "work",
        ["DownloadAttachment"] = "read",
        ["ExportContacts"] = "read",
        ["ImportContacts"] = "work",
        ["ReleaseConversation"] = "work",
        ["ListLegalHolds"] = "audit",
        ["PlaceLegalHold"] = "manage",
        ["ReleaseLegalHold"] = "manage",
        ["ListPrivacyRequests"] = "audit",
        ["GetPrivacyRequest"] = "audit",
        ["CreatePrivacyRequest"] = "manage",
        ["StartPrivacyRequest"] = "manage",
        ["CompletePrivacyRequest"] = "manage",
        ["RefusePrivacyRequest"] = "manage",
        ["GetPrivacySettings"] = "audit",
        ["UpdatePrivacySettings"] = "manage",
        ["StartPrivacyExport"] = "manage",
        ["GetProcessingRecord"] = "review",
        ["ListPrivacyExports"] = "audit",
        ["DownloadPrivacyExport"] = "manage",
        ["ListReviewCases"] = "audit",
        ["GetReviewStats"] = "audit",
        ["GetReviewSettings"] = "audit",
        ["UpdateReviewSettings"] = "manage",
        ["GetReviewCase"] = "audit",
        ["ExportReviewRecordJson"] = "audit",
        ["ExportReviewRecordHtml"] = "audit",
        ["OpenReviewCase"] = "work",
        ["AssignReviewCase"] = "review",
        ["StartReviewCase"] = "review",
        ["DecideReviewCase"] = "review",
        ["WithdrawReviewCase"] = "work",
        ["GetRetentionSettings"] = "audit",
        ["UpdateRetentionSettings"] = "manage",
        ["PurgeNow"] = "manage",
    };

    /// <summary>A valid body for each operation that takes one, so that a 404 is about the resource, not the body.</summary>
    private static readonly Dictionary<string, object> Bodies = new()
    {
        ["ChangePassword"] = new { currentPassword = "x", newPassword = "y" },
        ["SetMyAvailability"] = new { availability = "away" },
        ["ChangeMemberRole"] = new { role = "agent" },
        ["CreateInvitation"] = new { email = "sweep@example.test", role = "agent" },
        ["AcceptInvitation"] = new { token = "not-a-token", password = "whatever" },
        ["CreateIntegrationClient"] = new { name = "sweep", role = "agent" },
        ["UpdateWorkspace"] = new { name = "Renamed" },
        ["CreateWorkspace"] = new { name = "Sweep" },
        ["CloseWorkspace"] = new { confirmName = "Not the name" },
        ["DeleteMyAccount"] = new { password = "not the password" },
        ["AcceptPrivacyPolicy"] = new { version = "2026-02-12" },
        ["SignUp"] = new { email = "s@example.test", password = "long enough pass", displayName = "S", workspaceName = "S" },
        ["CreateContact"] = new { displayName = "Sweep" },
        ["CreateChannelConnection"] = new { type = "api", name = "Sweep", callbackUrl = "https://example.com/sweep" },
        ["UpdateChannelConnection"] = new { name = "Renamed" },
        ["CreateFlow"] = new { name = "Sweep" },
        ["ImportFlow"] = new { format = "oneinbox-flow/1", name = "Sweep", graph = new { } },
        ["UpdateFlow"] = new { name = "Renamed" },
        ["SaveFlowDraft"] = new { graph = new { } },
        ["StartTestRun"] = new { },
        ["StartFlow"] = new { conversationId = Guid.NewGuid() },
        ["SendTestRunMessage"] = new { text = "hi" },
        ["UpdateContact"] = new { displayName = "Renamed" },
        ["AddChannelIdentity"] = new { channel = "telegram", externalId = "999", username = "sweep" },
        ["AddContactNote"] = new { text = "a note" },
        ["RecordConsent"] = new { granted = true, purpose = "marketing", legalBasis = "consent", source = "sweep" },
        ["MergeContacts"] = new { duplicateId = Guid.NewGuid() },
        ["CreateContactAttribute"] = new { key = "tier", label = "Tier", type = "text" },
        ["ReplyToConversation"] = new { text = "hello" },
        ["StartConversation"] = new { contactId = Guid.NewGuid(), connectionId = Guid.NewGuid(), text = "hello" },
        ["AddConversationNote"] = new { text = "note" },
        ["AssignConversation"] = new { userId = (Guid?)null },
        ["AssignConversationTeam"] = new { teamId = (Guid?)null },
        ["ChangeConversationStatus"] = new { status = "pending" },
        ["SetConversationPriority"] = new { priority = "high" },
        ["SetConversationLabels"] = new { labels = new[] { "vip" } },
        ["BulkUpdateConversations"] = new { conversationIds = new[] { Guid.NewGuid() }, status = "pending" },
        ["CreateTeam"] = new { name = "Sweep team" },
        ["UpdateTeam"] = new { name = "Renamed team" },
        ["CreateCannedResponse"] = new { shortCode = "sweep", text = "Hi {{ contact.name }}" },
        ["UpdateCannedResponse"] = new { shortCode = "sweep2", text = "Hello" },
        ["RenderCannedResponse"] = new { conversationId = Guid.NewGuid() },
        ["PlaceLegalHold"] = new { contactId = Guid.NewGuid(), reason = "Sweep" },
        ["CreatePrivacyRequest"] = new { type = "access", channel = "api", contactId = Guid.NewGuid() },
        ["CompletePrivacyRequest"] = new { note = "sweep" },
        ["RefusePrivacyRequest"] = new { reason = "Sweep", legalBasis = "Sweep" },
        ["UpdatePrivacySettings"] = new { responseDays = 20 },
        ["UpdateReviewSettings"] = new { dueDays = 5 },
        ["OpenReviewCase"] = new { conversationId = Guid.NewGuid(), words = "sweep" },
        ["AssignReviewCase"] = new { assigneeId = Guid.NewGuid() },
        ["DecideReviewCase"] = new { outcome = "upheld", reason = "sweep" },
        ["WithdrawReviewCase"] = new { reason = "sweep" },
        ["UpdateRetentionSettings"] = new { messageDays = 365, journalDays = 365, exportDays = 7, processedPayloadDays = 7, auditDays = 730 },
    };

    [Fact]
    public async Task Every_operation_is_closed_to_strangers_other_workspaces_and_roles_without_the_permission()
    {
        var a = await App.CreateWorkspaceAsync("A");
        var b = await App.CreateWorkspaceAsync("B");
        var ids = await SeedAsync(a);
        var clients = new Dictionary<string, HttpClient>
        {
            ["auditor"] = await a.ClientAsync(WorkspaceRole.Auditor),
            ["agent"] = await a.ClientAsync(WorkspaceRole.Agent),
            ["owner"] = a.Owner.Client,
        };
        var before = await SnapshotAsync(a.Owner.Client);
        var problems = new List<string>();
        var operations = await OperationsAsync();

        foreach (var op in operations.Where(o => !Access.ContainsKey(o.Id)))
            problems.Add($"{op.Method} {op.Path} ({op.Id}) is not in the sweep's access table");

        foreach (var op in operations.Where(o => Access.ContainsKey(o.Id)))
        {
            var missing = op.PathParameters.Where(p => !ids.ContainsKey(p)).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{op.Id}: no fixture id for {string.Join(", ", missing)}");
                continue;
            }
            if (op.HasBody && !Bodies.ContainsKey(op.Id))
            {
                problems.Add($"{op.Id}: no sample body");
                continue;
            }
            var url = op.PathParameters.Aggregate(op.Path, (path, p) => path.Replace("{" + p + "}", ids[p], StringComparison.Ordinal));
            var access = Access[op.Id];

            if (access != "anonymous")
            {
                await Expect(App.CreateClient(), op, url, HttpStatusCode.Unauthorized, "anonymous");
                foreach (var role in RolesWithout(access))
                    await Expect(clients[role], op, url, HttpStatusCode.Forbidden, role);
                // Platform administrators act across workspaces by design; everyone else is refused (403) above.
                if (op.PathParameters.Count > 0 && access != "platform")
                    await Expect(b.Owner.Client, op, url, HttpStatusCode.NotFound, "owner of another workspace");
            }
        }

        var after = await SnapshotAsync(a.Owner.Client);
        Assert.Equal(before, after);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        output.WriteLine($"Swept {operations.Count} operations.");

        async Task Expect(HttpClient client, Operation op, string url, HttpStatusCode expected, string who)
        {
            using var request = new HttpRequestMessage(new HttpMethod(op.Method), url);
            if (op.HasBody)
                request.Content = new StringContent(JsonSerializer.Serialize(Bodies[op.Id], JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
            var response = await client.SendAsync(request);
            if (response.StatusCode != expected)
                problems.Add($"{op.Method} {op.Path} as {who}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static IEnumerable<string> RolesWithout(string access) => access switch
    {
        "read" => [],
        "work" => ["auditor"],
        "audit" => ["agent"],
        "manage" => ["auditor", "agent"],
        "review" => ["agent"],
        "platform" => ["auditor", "agent", "owner"],
        _ => throw new InvalidOperationException($"Unknown access '{access}'."),
    };

    /// <summary>One resource of each kind in workspace A, named by the path parameter that addresses it.</summary>
    private async Task<Dictionary<string, string>> SeedAsync(TestWorkspace a)
    {
        var owner = a.Owner.Client;
        var agent = await a.MemberAsync(WorkspaceRole.Agent);
        var contact = await (await owner.PostJsonAsync("/api/v1/contacts", new { displayName = "A's customer" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var invitation = await (await owner.PostJsonAsync("/api/v1/invitations", new { email = "invitee@example.test", role = "agent" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var client = await (await owner.PostJsonAsync("/api/v1/integration-clients", new { name = "A's client", role = "agent" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var channel = await (await owner.PostJsonAsync("/api/v1/channels", new { type = "api", name = "A's widget", callbackUrl = "https://example.com/a" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var flow = await (await owner.PostJsonAsync("/api/v1/flows", new { name = "A's flow" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var received = await App.InWorkspaceAsync(a.Id, services => services.GetRequiredService<ISender>().Send(new ReceiveMessage(
            Guid.NewGuid(), ChannelType.Telegram,
            new InboundMessage("m-1", new ChannelSender("4242", "Customer of A", null, null, null), "4242", MessageKind.Text, "hello", DateTimeOffset.UtcNow, []))).AsTask());
        var identity = await (await owner.PostJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/identities", new { channel = "discord", externalId = "777" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var team = await (await owner.PostJsonAsync("/api/v1/teams", new { name = "A's team" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var canned = await (await owner.PostJsonAsync("/api/v1/canned-responses", new { shortCode = "hi", text = "Hi there" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var privacyRequest = await (await owner.PostJsonAsync("/api/v1/privacy/requests", new { type = "access", channel = "api", contactId = contact.GetProperty("id").GetString() }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var hold = await (await owner.PostJsonAsync("/api/v1/privacy/legal-holds", new { reason = "A's litigation" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var upload = new ByteArrayContent("just text"u8.ToArray());
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        var attachment = await (await owner.PostAsync("/api/v1/attachments?fileName=a.txt", upload)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return new Dictionary<string, string>
        {
            ["conversationId"] = received.ConversationId.ToString(),
            ["identityId"] = identity.GetProperty("id").GetString()!,
            ["teamId"] = team.GetProperty("id").GetString()!,
            ["cannedResponseId"] = canned.GetProperty("id").GetString()!,
            ["attachmentId"] = attachment.GetProperty("id").GetString()!,
            ["flowId"] = flow.GetProperty("id").GetString()!,
            ["version"] = "1",
            ["runId"] = Guid.NewGuid().ToString(),
            ["instanceId"] = Guid.NewGuid().ToString(),
            ["incidentId"] = Guid.NewGuid().ToString(),
            ["contactId"] = contact.GetProperty("id").GetString()!,
            ["userId"] = agent.UserId.ToString(),
            ["workspaceId"] = a.Id.ToString(),
            ["invitationId"] = invitation.GetProperty("id").GetString()!,
            ["clientId"] = client.GetProperty("id").GetString()!,
            ["connectionId"] = channel.GetProperty("connection").GetProperty("id").GetString()!,
            ["envelopeId"] = Guid.NewGuid().ToString(),
            ["outboxId"] = Guid.NewGuid().ToString(),
            ["holdId"] = hold.GetProperty("id").GetString()!,
            ["requestId"] = privacyRequest.GetProperty("id").GetString()!,
            ["caseId"] = Guid.NewGuid().ToString(),
        };
    }

    /// <summary>What workspace A's owner sees: it must be the same after every stranger has tried everything.</summary>
    private static async Task<string> SnapshotAsync(HttpClient owner)
    {
        var parts = new List<string>();
        foreach (var url in new[] { "/api/v1/workspace", "/api/v1/contacts", "/api/v1/members", "/api/v1/invitations", "/api/v1/integration-clients", "/api/v1/channels", "/api/v1/flows", "/api/v1/conversations", "/api/v1/teams", "/api/v1/canned-responses", "/api/v1/privacy/legal-holds", "/api/v1/privacy/requests", "/api/v1/privacy/settings", "/api/v1/reviews", "/api/v1/reviews/settings" })
            parts.Add(await (await owner.GetAsync(url)).Content.ReadAsStringAsync());
        return string.Join("\n", parts);
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        var document = JsonDocument.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                var id = method.Value.TryGetProperty("operationId", out var opId) ? opId.GetString()! : $"{method.Name.ToUpperInvariant()} {path.Name}";
                var parameters = method.Value.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];
                operations.Add(new Operation(id, method.Name.ToUpperInvariant(), path.Name, parameters, method.Value.TryGetProperty("requestBody", out _)));
            }
        }
        return operations;
    }

    private sealed record Operation(string Id, string Method, string Path, List<string> PathParameters, bool HasBody);
}
