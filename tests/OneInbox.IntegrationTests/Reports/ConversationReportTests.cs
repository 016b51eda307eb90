using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Reports;
using OneInbox.IntegrationTests.Channels;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Reports;

/// <summary>
/// Conversations driven through the Telegram fake and the agent API, then the conversation report: every figure
/// checked, before and after the compactor folds the deltas, after the customer's erasure, for an Agent and as CSV.
/// </summary>
public sealed class ConversationReportTests(OneInboxApp app) : ChannelTest(app)
{
    private static string Writes(long chat, int update, string text) => $$"""
        { "update_id": {{update}}, "message": { "message_id": {{update}}, "from": { "id": {{chat}}, "is_bot": false, "first_name": "C{{chat}}" },
          "chat": { "id": {{chat}}, "type": "private" }, "date": 1767225600, "text": "{{text}}" } }
        """;

    [Fact]
    public async Task The_report_counts_what_happened_keeps_it_through_compaction_and_erasure_and_an_agent_sees_their_own()
    {
        var created = await CreateTelegramAsync();
        (await PostUpdateAsync(created.Connection.Id, Writes(7001, 1, "Where is my order?"), created.InboundSecret)).EnsureSuccessStatusCode();
        (await PostUpdateAsync(created.Connection.Id, Writes(7002, 2, "Do you ship to Norway?"), created.InboundSecret)).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"Conversations\" WHERE \"WorkspaceId\" = '{Workspace.Id}'") == 2, "two conversations");
        var first = Guid.Parse((await ScalarAsync($"SELECT c.\"Id\" FROM \"Conversations\" c JOIN \"ChannelIdentities\" i ON i.\"ContactId\" = c.\"ContactId\" WHERE i.\"ExternalId\" = '7001'"))!);
        var contact = Guid.Parse((await ScalarAsync($"SELECT \"ContactId\" FROM \"Conversations\" WHERE \"Id\" = '{first}'"))!);

        var ana = await Workspace.MemberAsync(WorkspaceRole.Agent);
        var anaClient = ClientFor(ana.Token.AccessToken);
        (await anaClient.PutAsJsonAsync($"/api/v1/conversations/{first}/assignee", new { userId = ana.UserId })).EnsureSuccessStatusCode();
        (await anaClient.PostJsonAsync($"/api/v1/conversations/{first}/messages", new { text = "It left today." })).EnsureSuccessStatusCode();
        (await anaClient.PutAsJsonAsync($"/api/v1/conversations/{first}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        (await anaClient.PostJsonAsync($"/api/v1/conversations/{first}/messages", new { text = "One more thing: it is insured." })).EnsureSuccessStatusCode();
        (await anaClient.PostJsonAsync($"/api/v1/conversations/{first}/notes", new { text = "Private: VIP" })).EnsureSuccessStatusCode();

        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}";
        var report = await ReportAsync(Admin, $"?{range}&groupBy=hour&timeZone=UTC");
        AssertTotals(report, opened: 2, resolved: 1, reopened: 1, messagesIn: 2, messagesOut: 2);
        Assert.Equal(1, report.GetProperty("firstResponse").GetProperty("count").GetInt32());
        Assert.True(report.GetProperty("firstResponse").GetProperty("median").GetDouble() >= 0);
        Assert.Equal(1, report.GetProperty("resolution").GetProperty("count").GetInt32());
        Assert.Equal(1, report.GetProperty("waitingNow").GetInt32());
        Assert.True(report.GetProperty("oldestWaitSeconds").GetDouble() >= 0);
        Assert.Equal("UTC", report.GetProperty("timeZone").GetString());
        Assert.NotEmpty(report.GetProperty("buckets").EnumerateArray());
        Assert.Equal(1, report.GetProperty("distribution").EnumerateArray().Sum(b => b.GetProperty("resolution").GetInt32()));

        // Times count business hours by default: with a calendar that never opens, none of the wait counts; on the clock, all of it.
        (await Admin.PatchJsonAsync("/api/v1/workspace", new { businessHours = new { weekly = Array.Empty<object>(), holidays = Array.Empty<string>() } }))
            .EnsureSuccessStatusCode();
        var closed = await ReportAsync(Admin, $"?{range}");
        Assert.Equal(("business", 0d), (closed.GetProperty("time").GetString(), closed.GetProperty("resolution").GetProperty("median").GetDouble()));
        var calendar = await ReportAsync(Admin, $"?{range}&time=calendar");
        Assert.True(calendar.GetProperty("resolution").GetProperty("median").GetDouble() > 0);
        await (await Admin.GetAsync($"/api/v1/reports/conversations?time=lunar")).AssertProblemAsync(HttpStatusCode.BadRequest);

        // The compactor folds the deltas into hour rows: the same figures, from fewer rows.
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            while (await Host.Services.GetRequiredService<ReportCompactor>().CompactAsync(CancellationToken.None) > 0)
            {
            }
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<OneInboxDbContext>().ReportDeltas.IgnoreQueryFilters().CountAsync(d => d.WorkspaceId == Workspace.Id));
        }
        AssertTotals(await ReportAsync(Admin, $"?{range}"), opened: 2, resolved: 1, reopened: 1, messagesIn: 2, messagesOut: 2);

        // Erasing the customer changes no past figure.
        (await Admin.DeleteAsync($"/api/v1/contacts/{contact}")).EnsureSuccessStatusCode();
        var afterErasure = await ReportAsync(Admin, $"?{range}");
        AssertTotals(afterErasure, opened: 2, resolved: 1, reopened: 1, messagesIn: 2, messagesOut: 2);
        Assert.Equal(1, afterErasure.GetProperty("resolution").GetProperty("count").GetInt32());

        // Ana sees her own figures (her replies, the conversation she held when it was resolved); not another agent's.
        var own = await ReportAsync(anaClient, $"?{range}");
        AssertTotals(own, opened: 0, resolved: 1, reopened: 1, messagesIn: 0, messagesOut: 2);
        Assert.Equal(HttpStatusCode.Forbidden, (await anaClient.GetAsync($"/api/v1/reports/conversations?{range}&agentId={Workspace.Owner.UserId}")).StatusCode);

        // CSV: the same table.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/conversations?{range}&groupBy=day&timeZone=UTC");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await (await Admin.SendAsync(request)).Content.ReadAsStringAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("start,opened,resolved,reopened,messagesIn,messagesOut", lines[0]);
        Assert.Equal("total,2,1,1,2,2", lines[^1]);

        // Per agent, channel and team: who did what; Ana's own view is her row only.
        var agents = (await ReportAsync(Admin, $"?{range}", "agents")).GetProperty("rows").EnumerateArray().ToList();
        var anaRow = agents.Single(r => r.GetProperty("key").GetString() == ana.UserId.ToString());
        Assert.Equal((1, 1, 2), (anaRow.GetProperty("resolved").GetInt32(), anaRow.GetProperty("reopened").GetInt32(), anaRow.GetProperty("messagesOut").GetInt32()));
        Assert.StartsWith("Agent", anaRow.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, anaRow.GetProperty("resolution").GetProperty("count").GetInt32());
        var unassigned = agents.Single(r => r.GetProperty("key").GetString() == "none");
        Assert.Equal(("unassigned", 2, 2), (unassigned.GetProperty("name").GetString(), unassigned.GetProperty("opened").GetInt32(), unassigned.GetProperty("messagesIn").GetInt32()));
        var telegram = Assert.Single((await ReportAsync(Admin, $"?{range}", "channels")).GetProperty("rows").EnumerateArray());
        Assert.Equal(("telegram", 2, 2), (telegram.GetProperty("key").GetString(), telegram.GetProperty("opened").GetInt32(), telegram.GetProperty("messagesOut").GetInt32()));
        var noTeam = Assert.Single((await ReportAsync(Admin, $"?{range}", "teams")).GetProperty("rows").EnumerateArray());
        Assert.Equal("no team", noTeam.GetProperty("name").GetString());
        var anaOnly = Assert.Single((await ReportAsync(anaClient, $"?{range}", "agents")).GetProperty("rows").EnumerateArray());
        Assert.Equal(ana.UserId.ToString(), anaOnly.GetProperty("key").GetString());

        // Bad input is a problem, not a guess.
        await (await Admin.GetAsync("/api/v1/reports/conversations?groupBy=fortnight")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Admin.GetAsync("/api/v1/reports/conversations?timeZone=Mars/Olympus")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Admin.GetAsync($"/api/v1/reports/conversations?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_label_filter_counts_what_happened_to_conversations_while_they_carried_the_label()
    {
        var created = await CreateTelegramAsync();
        (await PostUpdateAsync(created.Connection.Id, Writes(7201, 21, "My card was charged twice"), created.InboundSecret)).EnsureSuccessStatusCode();
        (await PostUpdateAsync(created.Connection.Id, Writes(7202, 22, "Opening hours?"), created.InboundSecret)).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"Conversations\" WHERE \"WorkspaceId\" = '{Workspace.Id}'") == 2, "two conversations");
        var billing = Guid.Parse((await ScalarAsync($"SELECT c.\"Id\" FROM \"Conversations\" c JOIN \"ChannelIdentities\" i ON i.\"ContactId\" = c.\"ContactId\" WHERE i.\"ExternalId\" = '7201'"))!);

        (await Admin.PutAsJsonAsync($"/api/v1/conversations/{billing}/labels", new { labels = new[] { "Billing" } })).EnsureSuccessStatusCode();
        (await PostUpdateAsync(created.Connection.Id, Writes(7201, 23, "Any news?"), created.InboundSecret)).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"Messages\" WHERE \"ConversationId\" = '{billing}' AND \"Direction\" = 0") == 2, "the second message");
        (await Admin.PostJsonAsync($"/api/v1/conversations/{billing}/messages", new { text = "Refunded." })).EnsureSuccessStatusCode();
        (await Admin.PutAsJsonAsync($"/api/v1/conversations/{billing}/status", new { status = "resolved" })).EnsureSuccessStatusCode();

        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}";
        foreach (var compacted in new[] { false, true })
        {
            if (compacted)
            {
                while (await Host.Services.GetRequiredService<ReportCompactor>().CompactAsync(CancellationToken.None) > 0)
                {
                }
            }
            // Labelled after it opened: its later message in, the reply, the resolution and its times count under the label.
            var labelled = await ReportAsync(Admin, $"?{range}&label=billing");
            AssertTotals(labelled, opened: 0, resolved: 1, reopened: 0, messagesIn: 1, messagesOut: 1);
            Assert.Equal(1, labelled.GetProperty("resolution").GetProperty("count").GetInt32());
            AssertTotals(await ReportAsync(Admin, $"?{range}&label=%20BILLING%20"), opened: 0, resolved: 1, reopened: 0, messagesIn: 1, messagesOut: 1);
            AssertTotals(await ReportAsync(Admin, $"?{range}&label=shipping"), opened: 0, resolved: 0, reopened: 0, messagesIn: 0, messagesOut: 0);
            // Nothing else counts twice for it.
            AssertTotals(await ReportAsync(Admin, $"?{range}"), opened: 2, resolved: 1, reopened: 0, messagesIn: 3, messagesOut: 1);
            var agents = await ReportAsync(Admin, $"?{range}", "agents");
            Assert.Equal(3, agents.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("messagesIn").GetInt32()));
        }
        await (await Admin.GetAsync($"/api/v1/reports/conversations?label={new string('x', 51)}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Counting_the_history_afterwards_gives_the_figures_live_counting_gave()
    {
        var created = await CreateTelegramAsync();
        for (var customer = 0; customer < 3; customer++)
            (await PostUpdateAsync(created.Connection.Id, Writes(7100 + customer, 10 + customer, "Hello"), created.InboundSecret)).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"Conversations\" WHERE \"WorkspaceId\" = '{Workspace.Id}'") == 3, "three conversations");
        var listed = await (await Admin.GetAsync("/api/v1/conversations")).ReadAsync<JsonElement>();
        var conversations = listed.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        var agent = ClientFor((await Workspace.MemberAsync(WorkspaceRole.Agent)).Token.AccessToken);
        foreach (var id in conversations.Take(2))
            (await agent.PostJsonAsync($"/api/v1/conversations/{id}/messages", new { text = "On it." })).EnsureSuccessStatusCode();
        (await agent.PutAsJsonAsync($"/api/v1/conversations/{conversations[0]}/status", new { status = "resolved" })).EnsureSuccessStatusCode();

        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}";
        var live = await ReportAsync(Admin, $"?{range}&groupBy=hour&timeZone=UTC");

        // As if reports had shipped after all this: nothing counted, live counting starting now.
        foreach (var table in new[] { "ReportDeltas", "ReportHours", "ReportDurations", "ReportBackfills" })
            await CountAsync($"WITH gone AS (DELETE FROM \"{table}\" WHERE \"WorkspaceId\" = '{Workspace.Id}' RETURNING 1) SELECT count(*) FROM gone");
        await CountAsync("WITH e AS (INSERT INTO \"ReportEpochs\" (\"Id\", \"LiveSince\") VALUES (1, now()) ON CONFLICT (\"Id\") DO UPDATE SET \"LiveSince\" = now() RETURNING 1) SELECT count(*) FROM e");
        Assert.Equal(0, (await ReportAsync(Admin, $"?{range}")).GetProperty("totals").GetProperty("opened").GetInt32());

        Assert.True(await Host.Services.GetRequiredService<ReportBackfiller>().BackfillAllAsync(CancellationToken.None) >= 1);
        while (await Host.Services.GetRequiredService<ReportCompactor>().CompactAsync(CancellationToken.None) > 0)
        {
        }
        var backfilled = await ReportAsync(Admin, $"?{range}&groupBy=hour&timeZone=UTC");

        foreach (var part in new[] { "buckets", "totals", "firstResponse", "resolution" })
            Assert.Equal(live.GetProperty(part).GetRawText(), backfilled.GetProperty(part).GetRawText());
        Assert.Equal(2, backfilled.GetProperty("firstResponse").GetProperty("count").GetInt32());
        // Once only: a second run finds the workspace counted.
        await Host.Services.GetRequiredService<ReportBackfiller>().BackfillAllAsync(CancellationToken.None);
        Assert.Equal(3, (await ReportAsync(Admin, $"?{range}")).GetProperty("totals").GetProperty("opened").GetInt32());
    }

    private static async Task<JsonElement> ReportAsync(HttpClient client, string query, string report = "conversations") =>
        await (await client.GetAsync($"/api/v1/reports/{report}" + query)).ReadAsync<JsonElement>();

    private static void AssertTotals(JsonElement report, int opened, int resolved, int reopened, int messagesIn, int messagesOut)
    {
        var totals = report.GetProperty("totals");
        Assert.Equal((opened, resolved, reopened, messagesIn, messagesOut), (totals.GetProperty("opened").GetInt32(), totals.GetProperty("resolved").GetInt32(),
            totals.GetProperty("reopened").GetInt32(), totals.GetProperty("messagesIn").GetInt32(), totals.GetProperty("messagesOut").GetInt32()));
    }
}
