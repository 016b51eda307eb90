using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneInbox.Application.Channels;
using OneInbox.BrowserTests.Infrastructure;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>The Reports page draws its figures, charts and table from what really happened, and downloads them as CSV.</summary>
public sealed partial class StudioBrowserTests
{
    [Fact]
    public async Task The_reports_page_charts_real_conversations_keeps_its_filters_in_the_url_and_downloads_csv()
    {
        var connectionId = Guid.NewGuid();
        var conversations = new List<Guid>();
        foreach (var customer in new[] { "801", "802" })
        {
            await using var scope = server.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(_admin.WorkspaceId);
            var received = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReceiveMessage(connectionId, ChannelType.Telegram,
                new InboundMessage($"m-{customer}", new ChannelSender(customer, "Customer " + customer, null, null, "en"), customer, MessageKind.Text,
                    "Is the shop open on Sunday?", DateTimeOffset.UtcNow, [])));
            conversations.Add(received.ConversationId);
        }
        await _api.SendAsync(HttpMethod.Post, $"/api/v1/conversations/{conversations[0]}/messages", new JsonObject { ["text"] = "Yes, from 10 to 16." });

        await SignInAsync(_admin);
        await _page.GetByTestId("nav-reports").ClickAsync();
        await Expect(_page.GetByTestId("figure-opened")).ToHaveTextAsync("2");
        await Expect(_page.GetByTestId("figure-messages")).ToHaveTextAsync("2 / 1");
        await Expect(_page.GetByTestId("figure-waiting")).ToContainTextAsync("1 (longest");
        await Expect(_page.GetByTestId("figure-frt")).Not.ToHaveTextAsync("— · —");
        // Recharts drew both series of the line chart and the bars of today's messages.
        await Expect(_page.GetByTestId("chart-conversations").Locator(".recharts-line")).ToHaveCountAsync(2);
        await Expect(_page.GetByTestId("chart-messages").Locator(".recharts-bar-rectangle").First).ToBeVisibleAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // Every day of the range is a row, the quiet ones at zero.
        await Expect(_page.GetByTestId("report-table").Locator("tbody tr")).ToHaveCountAsync(30);
        var todayRow = _page.GetByTestId("report-table").Locator("tbody tr").Filter(new() { HasText = today });
        await Expect(todayRow.Locator("td").Nth(1)).ToHaveTextAsync("2");
        // The agent table and the channel split come from the breakdowns: the owner wrote the one reply.
        await Expect(_page.GetByTestId($"agent-{_admin.UserId}")).ToContainTextAsync("Ada Admin");
        await Expect(_page.GetByTestId("agent-none")).ToContainTextAsync("unassigned");
        await Expect(_page.GetByTestId("chart-channels").Locator(".recharts-bar-rectangle").First).ToBeVisibleAsync();
        await ScreenshotAsync("reports");

        await _page.GetByTestId("report-group").SelectOptionAsync("month");
        await Expect(_page).ToHaveURLAsync(new Regex("groupBy=month"));
        await _page.ReloadAsync();
        await Expect(_page.GetByTestId("report-group")).ToHaveValueAsync("month");
        await Expect(_page.GetByTestId("figure-opened")).ToHaveTextAsync("2");

        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("report-csv").ClickAsync());
        var file = Path.Combine(StudioServer.ArtifactsPath, "conversations-report.csv");
        await download.SaveAsAsync(file);
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal("start,opened,resolved,reopened,messagesIn,messagesOut", lines[0]);
        Assert.Equal("total,2,0,0,2,1", lines[^1]);
    }
}
