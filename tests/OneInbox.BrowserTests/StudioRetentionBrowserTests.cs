using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>The Owner sets the workspace's retention in the Privacy page, and runs the purge from there.</summary>
public sealed partial class StudioBrowserTests
{
    [Fact]
    public async Task An_owner_sets_retention_refusing_what_the_policy_forbids_and_purges_on_demand()
    {
        await SignInAsync(_admin);
        await _page.GetByTestId("nav-privacy").ClickAsync();
        var retention = _page.GetByTestId("retention");
        await Expect(retention.GetByTestId("retention-messageDays")).ToHaveValueAsync("365");
        await Expect(retention.GetByTestId("retention-auditDays")).ToHaveValueAsync("730");
        await Expect(retention.GetByTestId("last-purge")).ToHaveTextAsync("No purge has run yet.");

        await retention.GetByTestId("retention-exportDays").FillAsync("45");
        await Expect(retention.GetByTestId("retention-exportDays-error")).ToHaveTextAsync("A whole number of days from 1 to 30.");
        await Expect(retention.GetByTestId("save-retention")).ToBeDisabledAsync();
        await retention.GetByTestId("retention-exportDays").FillAsync("14");
        await retention.GetByTestId("retention-until-deleted").CheckAsync();
        await Expect(retention.GetByTestId("retention-reason-error")).ToContainTextAsync("Say why messages are kept until deleted");
        await retention.GetByTestId("retention-reason").FillAsync("Contracts are kept for the warranty");
        await retention.GetByTestId("retention-journalDays").FillAsync("180");
        await retention.GetByTestId("save-retention").ClickAsync();
        await Expect(retention.GetByTestId("retention-note")).ToHaveTextAsync("Saved.");

        await _page.ReloadAsync();
        retention = _page.GetByTestId("retention");
        await Expect(retention.GetByTestId("retention-until-deleted")).ToBeCheckedAsync();
        await Expect(retention.GetByTestId("retention-reason")).ToHaveValueAsync("Contracts are kept for the warranty");
        await Expect(retention.GetByTestId("retention-journalDays")).ToHaveValueAsync("180");
        await Expect(retention.GetByTestId("retention-exportDays")).ToHaveValueAsync("14");

        await retention.GetByTestId("purge-now").ClickAsync();
        await Expect(retention.GetByTestId("retention-note")).ToContainTextAsync("Deleted 0 messages");
        await Expect(retention.GetByTestId("last-purge")).ToContainTextAsync("messages=0, files=0");
        await ScreenshotAsync("retention-settings");
    }
}
