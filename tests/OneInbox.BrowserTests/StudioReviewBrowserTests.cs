using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OneInbox.BrowserTests.Infrastructure;
using OneInbox.Domain.Identity;
using OneInbox.TestFakes;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>
/// Human review in the Studio (issue #16): a Telegram customer contests a bot's refusal; an Auditor opens the queue,
/// sees the path taken and the explanation in the journal, overturns the decision with a corrective action, and the
/// customer is told through the real workers and the fake Bot API.
/// </summary>
public sealed partial class StudioBrowserTests
{
    private const string Explanation = "Refund refused: the order total was 120, above the 100 limit.";

    [Fact]
    public async Task An_auditor_opens_the_queue_sees_the_highlighted_path_and_journal_and_overturns_a_case()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        await _api.SendAsync(HttpMethod.Post, "/api/v1/channels", new JsonObject
        {
            ["type"] = "telegram", ["name"] = "Refund bot", ["botToken"] = telegram.Token, ["mode"] = "polling", ["baseUrl"] = telegram.BaseUrl.ToString(),
        });
        var billing = (await _api.SendAsync(HttpMethod.Post, "/api/v1/teams", new JsonObject { ["name"] = "Billing" }))["id"]!.GetValue<Guid>();
        var flowId = await _api.CreateFlowAsync("Refunds", RefundGraph());
        await _api.PublishAsync(flowId);

        telegram.EnqueueUpdate(Update(701, chat: 91, "I want a refund"));
        await telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Anything else?", TimeSpan.FromSeconds(90));
        telegram.EnqueueUpdate(Update(702, chat: 91, "This is wrong, human review please"));
        JsonArray cases = [];
        for (var i = 0; i < 300 && cases.Count == 0; i++)
        {
            await Task.Delay(200);
            cases = await _api.GetArrayAsync("/api/v1/reviews");
        }
        var caseId = Assert.Single(cases)!["id"]!.GetValue<Guid>();

        var auditor = await server.AddMemberAsync(_admin.WorkspaceId, _admin.WorkspaceName, WorkspaceRole.Auditor, "Audrey Auditor");
        await SignInAsync(auditor);
        await _page.GetByTestId("nav-reviews").ClickAsync();
        var queued = _page.GetByTestId($"review-{caseId}");
        await Expect(queued).ToContainTextAsync("This is wrong, human review please");
        await Expect(queued).ToContainTextAsync("Refunds v1");
        await Expect(queued).ToContainTextAsync("open");
        await ScreenshotAsync("review-queue");
        await queued.GetByRole(AriaRole.Link).ClickAsync();

        await Expect(_page.GetByTestId("contested-explanation")).ToHaveTextAsync(Explanation);
        await Expect(_page.GetByTestId("transcript")).ToContainTextAsync("I want a refund");
        await Expect(_page.GetByTestId("node-refund")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("on-path.*contested|contested.*on-path"));
        await Expect(_page.GetByTestId("node-approved")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("on-path"));
        await Expect(_page.Locator("tr.contested").GetByTestId("explanation")).ToHaveTextAsync(Explanation);

        await _page.GetByTestId("start-review").ClickAsync();
        await Expect(_page.GetByTestId("review-status")).ToHaveTextAsync("inReview");
        await _page.GetByTestId("outcome-overturned").CheckAsync();
        await _page.GetByTestId("review-reason").FillAsync("Loyal customers are refunded up to 150.");
        await Expect(_page.GetByTestId("submit-decision")).ToBeDisabledAsync();
        await _page.GetByTestId("action-type").SelectOptionAsync("reassignTeam");
        await _page.GetByTestId("add-action").ClickAsync();
        await _page.GetByTestId("action-0-team").SelectOptionAsync(new SelectOptionValue { Label = "Billing" });
        await ScreenshotAsync("review-decide");
        await _page.GetByTestId("submit-decision").ClickAsync();

        await Expect(_page.GetByTestId("review-status")).ToHaveTextAsync("overturned");
        await Expect(_page.GetByTestId("decision")).ToContainTextAsync("moved to team Billing");
        var told = await _page.GetByTestId("customer-message").TextContentAsync();
        Assert.Contains("Loyal customers are refunded up to 150.", told, StringComparison.Ordinal);
        await telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == told, TimeSpan.FromSeconds(60));
        var conversation = (await _api.SendAsync(HttpMethod.Get, "/api/v1/conversations"))["items"]![0]!;
        Assert.Equal(billing, conversation["teamId"]!.GetValue<Guid>());
        await ScreenshotAsync("review-decided");

        // The flow's own page shows which of its decisions were contested and how they ended.
        await _page.GotoAsync($"/studio/flows/{flowId}");
        await CanvasReadyAsync();
        await Expect(_page.GetByTestId("node-refund")).ToContainTextAsync("significant decision");
        await _page.GetByTestId("tab-reviews").ClickAsync();
        var row = _page.GetByTestId("flow-review-stats").Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td")).ToHaveTextAsync(new[] { "v1 refund", "1", "0", "1" }.Select(t => new System.Text.RegularExpressions.Regex("^" + t + "$"))
            .Append(new System.Text.RegularExpressions.Regex(@"^\d")).ToArray());
        await ScreenshotAsync("designer-review-stats");
    }

    private static JsonObject RefundGraph() => JsonNode.Parse("""
        {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[{"name":"total","type":"number"},{"name":"more","type":"text"}],"start":"total",
         "nodes":[
           {"id":"total","type":"SetVariable","typeVersion":1,"inputs":{"name":"total","expression":"120"},"position":{"x":0,"y":0}},
           {"id":"refund","type":"Decision","typeVersion":1,"inputs":{"condition":"vars.total <= 100"},"position":{"x":0,"y":150},
            "decision":{"significant":true,"explanation":"Refund refused: the order total was {{ vars.total }}, above the 100 limit."}},
           {"id":"approved","type":"SendMessage","typeVersion":1,"inputs":{"text":"Your refund is on its way."},"position":{"x":-200,"y":300}},
           {"id":"refused","type":"SendMessage","typeVersion":1,"inputs":{"text":"Sorry, we cannot refund this order automatically."},"position":{"x":200,"y":300}},
           {"id":"more","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Anything else?","variable":"more"},"position":{"x":200,"y":450}}],
         "edges":[{"source":"total","sourcePort":"done","target":"refund"},
                  {"source":"refund","sourcePort":"true","target":"approved"},
                  {"source":"refund","sourcePort":"false","target":"refused"},
                  {"source":"refused","sourcePort":"done","target":"more"}]}
        """)!.AsObject();
}
