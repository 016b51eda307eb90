using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Reports;
using OneInbox.IntegrationTests.Flows;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Reports;

/// <summary>
/// A customer runs the support menu over the Telegram fake (a refused email, then a valid one, then the hand-off):
/// the automation report and the flow's funnel count exactly that, before and after the compactor folds the counts.
/// </summary>
public sealed class AutomationReportTests(OneInboxApp app) : LiveFlowTest(app)
{
    [Fact]
    public async Task The_funnel_counts_each_node_outcome_refused_answer_and_hand_off_of_a_run_live_and_when_counted_afterwards()
    {
        var (teamId, _) = await SupportTeamAsync();
        await PublishAsync(MenuGraph(teamId), "Support menu");
        var flowId = (await (await Admin.GetAsync("/api/v1/flows")).ReadAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == "Support menu").GetProperty("id").GetGuid();

        await WriteAsync(2001, "Hi");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Hi Maria! How can we help?");
        await PressAsync("order");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "What is the email address on your order?");
        await WriteAsync(2003, "maria at example");
        await Telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "That does not look like an email address. Please try again.");
        await WriteAsync(2004, "Maria@Example.com");
        await WaitForAsync(async () => (await ConversationAsync()).TryGetProperty("handOff", out var h) && h.ValueKind == JsonValueKind.Object, "the hand-off");

        await AssertCountsAsync(flowId);
        while (await Host.Services.GetRequiredService<ReportCompactor>().CompactFlowsAsync(CancellationToken.None) > 0)
        {
        }
        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}";
        var live = await (await Admin.GetAsync($"/api/v1/reports/flows/{flowId}/funnel?{range}")).Content.ReadAsStringAsync();
        await AssertCountsAsync(flowId);

        // As if reports had shipped after this run: the history is read back from the instances and the journal.
        foreach (var table in new[] { "FlowReportDeltas", "FlowReportHours", "ReportDeltas", "ReportHours", "ReportDurations", "ReportBackfills" })
            await CountAsync($"WITH gone AS (DELETE FROM \"{table}\" WHERE \"WorkspaceId\" = '{Workspace.Id}' RETURNING 1) SELECT count(*) FROM gone");
        await CountAsync("WITH e AS (INSERT INTO \"ReportEpochs\" (\"Id\", \"LiveSince\") VALUES (1, now()) ON CONFLICT (\"Id\") DO UPDATE SET \"LiveSince\" = now() RETURNING 1) SELECT count(*) FROM e");
        Assert.Equal(0, (await (await Admin.GetAsync("/api/v1/reports/automation")).ReadAsync<JsonElement>()).GetProperty("started").GetInt32());
        Assert.True(await Host.Services.GetRequiredService<ReportBackfiller>().BackfillAllAsync(CancellationToken.None) >= 1);
        await AssertCountsAsync(flowId);
        Assert.Equal(live, await (await Admin.GetAsync($"/api/v1/reports/flows/{flowId}/funnel?{range}")).Content.ReadAsStringAsync());

        var csv = await (await Admin.GetAsync($"/api/v1/reports/flows/{flowId}/funnel?format=csv")).Content.ReadAsStringAsync();
        Assert.Contains("askEmail,AskQuestion,1,answered=1,0,0,0,0,1,0", csv, StringComparison.Ordinal);

        var agent = await Workspace.MemberAsync(WorkspaceRole.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync("/api/v1/reports/automation")).StatusCode);
        var stranger = (await App.CreateWorkspaceAsync("Other")).Owner;
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/reports/flows/{flowId}/funnel")).StatusCode);
        Assert.Equal(0, (await (await stranger.Client.GetAsync("/api/v1/reports/automation")).ReadAsync<JsonElement>()).GetProperty("started").GetInt32());
    }

    private async Task AssertCountsAsync(Guid flowId)
    {
        var automation = await (await Admin.GetAsync("/api/v1/reports/automation")).ReadAsync<JsonElement>();
        Assert.Equal((1, 1), (automation.GetProperty("started").GetInt32(), automation.GetProperty("handedOff").GetInt32()));
        Assert.Equal(0, automation.GetProperty("containment").GetDouble());
        var flow = Assert.Single(automation.GetProperty("flows").EnumerateArray());
        Assert.Equal((1, 1, 1, 0, 0, 1), (flow.GetProperty("started").GetInt32(), flow.GetProperty("completed").GetInt32(), flow.GetProperty("handedOff").GetInt32(),
            flow.GetProperty("faulted").GetInt32(), flow.GetProperty("timedOut").GetInt32(), flow.GetProperty("invalidAnswers").GetInt32()));
        var reason = Assert.Single(flow.GetProperty("handOffReasons").EnumerateArray());
        Assert.Equal(("step", "handoff", 1), (reason.GetProperty("category").GetString(), reason.GetProperty("nodeId").GetString(), reason.GetProperty("count").GetInt32()));

        var funnel = await (await Admin.GetAsync($"/api/v1/reports/flows/{flowId}/funnel")).ReadAsync<JsonElement>();
        Assert.Equal((1, 1), (funnel.GetProperty("started").GetInt32(), funnel.GetProperty("completed").GetInt32()));
        var nodes = funnel.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("nodeId").GetString()!);
        Assert.Equal(1, nodes["menu"].GetProperty("reached").GetInt32());
        Assert.Equal(1, nodes["menu"].GetProperty("outcomes").GetProperty("order").GetInt32());
        Assert.Equal((1, 1, 1), (nodes["askEmail"].GetProperty("reached").GetInt32(), nodes["askEmail"].GetProperty("outcomes").GetProperty("answered").GetInt32(),
            nodes["askEmail"].GetProperty("invalidAnswers").GetInt32()));
        Assert.Equal((1, 1, 1), (nodes["handoff"].GetProperty("reached").GetInt32(), nodes["handoff"].GetProperty("stopped").GetInt32(),
            nodes["handoff"].GetProperty("handedOff").GetInt32()));
        var untaken = nodes.Keys.Except(["menu", "askEmail", "thanks", "route", "handoff"]).ToList();
        Assert.NotEmpty(untaken);
        Assert.All(untaken, id => Assert.Equal(0, nodes[id].GetProperty("reached").GetInt32()));

        var edges = funnel.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(1, edges.Single(e => e.GetProperty("source").GetString() == "menu" && e.GetProperty("outcome").GetString() == "order").GetProperty("count").GetInt32());
        Assert.Equal(0, edges.Single(e => e.GetProperty("source").GetString() == "menu" && e.GetProperty("outcome").GetString() == "hours").GetProperty("count").GetInt32());
    }
}
