using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>
/// The privacy centre (issue #13): a data protection officer records an access request that came by email, builds the
/// person's export in the background, downloads it, completes the case, and sees a held erasure refused with the reason.
/// </summary>
public sealed partial class StudioBrowserTests
{
    [Fact]
    public async Task An_owner_records_an_access_request_builds_and_downloads_the_export_and_a_held_erasure_is_refused()
    {
        await _api.SendAsync(HttpMethod.Post, "/api/v1/contacts", new JsonObject
        {
            ["displayName"] = "Pia Privacy", ["emails"] = new JsonArray("pia@example.test"), ["phoneNumbers"] = new JsonArray("+4915112345678"),
        });
        await SignInAsync(_admin);
        await _page.GetByTestId("nav-privacy").ClickAsync();
        await _page.GetByTestId("new-request-type").SelectOptionAsync("access");
        await _page.GetByTestId("new-request-email").FillAsync("pia@example.test");
        await _page.GetByTestId("create-request").ClickAsync();
        var row = _page.GetByTestId("privacy-requests").Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("countdown")).ToHaveTextAsync("29 days left");
        await row.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();

        await _page.GetByTestId("start-export").ClickAsync();
        await Expect(_page.GetByTestId("request-status")).ToHaveTextAsync("inProgress");
        await Expect(_page.GetByTestId("exports")).ToContainTextAsync("ready", new() { Timeout = 60_000 });
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("download-export").ClickAsync());
        var file = await download.PathAsync();
        using (var zip = ZipFile.OpenRead(file!))
        {
            using var reader = new StreamReader(zip.GetEntry("contact.json")!.Open());
            var contact = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
            Assert.Equal("Pia Privacy", contact.GetProperty("displayName").GetString());
            Assert.Equal(["+4915112345678"], contact.GetProperty("phoneNumbers").EnumerateArray().Select(t => t.GetString()));
        }
        await ScreenshotAsync("privacy-export-ready");
        await _page.GetByTestId("complete-request").ClickAsync();
        await Expect(_page.GetByTestId("request-status")).ToHaveTextAsync("completed");
        await Expect(_page.GetByTestId("request-timeline")).ToContainTextAsync("export_started");

        await _page.GetByLabel("Hold the whole workspace's data, because").FillAsync("Tax audit 2026");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Place hold" }).ClickAsync();
        await Expect(_page.GetByTestId("legal-holds")).ToContainTextAsync("The whole workspace: Tax audit 2026");
        await _page.GetByTestId("new-request-type").SelectOptionAsync("erasure");
        await _page.GetByTestId("new-request-email").FillAsync("pia@example.test");
        await _page.GetByTestId("create-request").ClickAsync();
        await Expect(row).ToHaveCountAsync(2);
        await row.Filter(new() { HasText = "erasure" }).GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await _page.GetByTestId("complete-request").ClickAsync();
        await Expect(_page.GetByTestId("request-status")).ToHaveTextAsync("refused");
        await Expect(_page.GetByTestId("privacy-request")).ToContainTextAsync("Tax audit 2026");
        await ScreenshotAsync("privacy-held-erasure");
    }
}
