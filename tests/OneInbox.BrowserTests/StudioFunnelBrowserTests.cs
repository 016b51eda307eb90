using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OneInbox.BrowserTests.Infrastructure;
using OneInbox.TestFakes;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>
/// Two Telegram customers meet a bot that asks for their order number; one answers, one does not. The Reports page
/// shows the bot's runs, and the designer's funnel overlay puts the counts on the nodes and edges of the flow that ran.
/// </summary>
public sealed partial class StudioBrowserTests
{
    [Fact]
    public async Task The_reports_page_shows_the_bots_runs_and_the_designer_overlays_the_funnel_of_the_flow_that_ran()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        await _api.SendAsync(HttpMethod.Post, "/api/v1/channels", new JsonObject
        {
            ["type"] = "telegram", ["name"] = "Order bot", ["botToken"] = telegram.Token, ["mode"] = "polling", ["baseUrl"] = telegram.BaseUrl.ToString(),
        });
        var flowId = await _api.CreateFlowAsync("Orders", OrderGraph());
        await _api.PublishAsync(flowId);

        telegram.EnqueueUpdate(Update(801, chat: 81, "Where is my parcel?"));
        telegram.EnqueueUpdate(Update(802, chat: 82, "Hello"));
        await telegram.WaitForCallAsync("sendMessage", c => c.Text("chat_id") == "82" && c.Text("text") == "Your order number?", TimeSpan.FromSeconds(90));
        await telegram.WaitForCallAsync("sendMessage", c => c.Text("chat_id") == "81" && c.Text("text") == "Your order number?", TimeSpan.FromSeconds(90));
        telegram.EnqueueUpdate(Update(803, chat: 81, "A-1001"));
        await telegram.WaitForCallAsync("sendMessage", c => c.Text("text") == "Thanks, we are looking into A-1001.", TimeSpan.FromSeconds(90));

        await SignInAsync(_admin);
        await _page.GetByTestId("nav-reports").ClickAsync();
        await Expect(_page.GetByTestId("figure-bot-runs")).ToHaveTextAsync("2");
        await Expect(_page.GetByTestId("figure-containment")).ToHaveTextAsync("100 %");
        var row = _page.GetByTestId($"flow-runs-{flowId}-1");
        await Expect(row).ToContainTextAsync("Orders");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Expect(_page.GetByTestId("chart-distribution").Locator(".recharts-bar-rectangle").First).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await CanvasReadyAsync();
        await _page.GetByTestId("tab-funnel").ClickAsync();
        await Expect(_page.GetByTestId("funnel-summary")).ToHaveTextAsync("2 started · 1 completed");
        await Expect(_page.GetByTestId("funnel-ask")).ToHaveCountAsync(0);
        await _page.GetByTestId("funnel-toggle").CheckAsync();
        await Expect(_page.GetByTestId("funnel-ask")).ToHaveTextAsync("2 reached1 stopped here");
        await Expect(_page.GetByTestId("node-ask")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drop-off"));
        await Expect(_page.GetByTestId("funnel-thanks")).ToHaveTextAsync("1 reached");
        await Expect(_page.Locator(".react-flow__edge-text").First).ToHaveTextAsync("1");
        // The overlay stays while another panel is open, and comes off with the switch.
        await _page.GetByTestId("tab-properties").ClickAsync();
        await Expect(_page.GetByTestId("funnel-ask")).ToBeVisibleAsync();
        await ScreenshotAsync("designer-funnel");
        await _page.GetByTestId("tab-funnel").ClickAsync();
        await _page.GetByTestId("funnel-toggle").UncheckAsync();
        await Expect(_page.GetByTestId("funnel-ask")).ToHaveCountAsync(0);
    }

    private static JsonObject OrderGraph() => JsonNode.Parse("""
        {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[{"name":"order","type":"text"}],"start":"ask",
         "nodes":[
           {"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Your order number?","variable":"order"},"position":{"x":0,"y":0}},
           {"id":"thanks","type":"SendMessage","typeVersion":1,"inputs":{"text":"Thanks, we are looking into {{ vars.order }}."},"position":{"x":0,"y":200}}],
         "edges":[{"source":"ask","sourcePort":"answered","target":"thanks"}]}
        """)!.AsObject();
}
