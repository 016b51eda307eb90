using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Lifecycle;

/// <summary>The record of processing is generated from what the workspace really has configured and stored.</summary>
public class ProcessingRecordTests(OneInboxApp app) : LiveFlowTest(app)
{
    [Fact]
    public async Task The_record_lists_the_channel_and_its_provider_the_data_held_the_automated_decisions_and_open_requests()
    {
        await PublishAsync(JsonNode.Parse("""
            {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"route",
             "nodes":[{"id":"route","type":"Decision","typeVersion":1,"inputs":{"condition":"message.text contains 'refund'"},
                       "decision":{"significant":true,"explanation":"Refund questions go to people."}}],"edges":[]}
            """)!, "Triage");
        await WriteAsync(9001, "refund please");
        await WaitForAsync(async () => (await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>()).GetProperty("items").GetArrayLength() == 1, "the conversation");
        var contactId = (await ConversationAsync()).GetProperty("contactId").GetGuid();
        await (await Admin.PostJsonAsync("/api/v1/privacy/requests", new { type = "access", channel = "chat", contactId })).ReadAsync<JsonElement>(HttpStatusCode.Created);

        var auditor = await Workspace.ClientAsync(WorkspaceRole.Auditor);
        var record = await (await auditor.GetAsync("/api/v1/workspace/processing-record")).ReadAsync<JsonElement>();
        var channel = Assert.Single(record.GetProperty("channels").EnumerateArray());
        Assert.Equal(("telegram", "Telegram Messenger (Bot API)"), (channel.GetProperty("type").GetString(), channel.GetProperty("provider").GetString()));
        var categories = record.GetProperty("dataCategories").EnumerateArray().ToDictionary(c => c.GetProperty("category").GetString()!, c => c.GetProperty("records").GetInt64());
        Assert.Equal(1, categories["Contacts"]);
        Assert.Equal(1, categories["Messages"]);
        Assert.True(categories["Automated decisions"] >= 1);
        var flow = Assert.Single(record.GetProperty("automatedDecisions").EnumerateArray());
        Assert.Equal(("Triage", "MessageReceived"), (flow.GetProperty("flow").GetString(), flow.GetProperty("trigger").GetString()));
        Assert.Equal(["route: Refund questions go to people."], flow.GetProperty("significantDecisions").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1, record.GetProperty("privacyRequests").GetProperty("open").GetInt32());
        Assert.Equal(1, record.GetProperty("privacyRequests").GetProperty("openByType").GetProperty("access").GetInt32());
        Assert.Equal(365, record.GetProperty("retention").GetProperty("messageDays").GetInt32());

        var markdown = await (await auditor.GetAsync("/api/v1/workspace/processing-record?format=markdown")).Content.ReadAsStringAsync();
        Assert.StartsWith("# Record of processing: Acme", markdown, StringComparison.Ordinal);
        Assert.Contains("| telegram |", markdown, StringComparison.Ordinal);
        Assert.Contains("significant decision route: Refund questions go to people.", markdown, StringComparison.Ordinal);

        await (await (await Workspace.ClientAsync(WorkspaceRole.Agent)).GetAsync("/api/v1/workspace/processing-record")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.GetAsync("/api/v1/workspace/processing-record?format=pdf")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var other = await App.CreateWorkspaceAsync("Other");
        var empty = await (await other.Owner.Client.GetAsync("/api/v1/workspace/processing-record")).ReadAsync<JsonElement>();
        Assert.Empty(empty.GetProperty("channels").EnumerateArray());
        Assert.Empty(empty.GetProperty("automatedDecisions").EnumerateArray());
    }
}
