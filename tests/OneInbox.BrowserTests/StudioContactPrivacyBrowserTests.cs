using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>
/// A contact's Privacy tab (issue #13): the data protection officer finds the person, reads what may be done with their
/// data and why, records a request on their behalf, places a hold, and follows the request into the privacy centre.
/// </summary>
public sealed partial class StudioBrowserTests
{
    [Fact]
    public async Task An_owner_finds_a_contact_reads_their_privacy_standing_records_an_objection_and_places_a_hold()
    {
        var contact = await _api.SendAsync(HttpMethod.Post, "/api/v1/contacts", new JsonObject { ["displayName"] = "Otto Objection" });
        var contactId = contact["id"]!.GetValue<Guid>();
        foreach (var granted in new[] { true, false })
        {
            await _api.SendAsync(HttpMethod.Post, $"/api/v1/contacts/{contactId}/consents", new JsonObject
            {
                ["granted"] = granted, ["purpose"] = "marketing", ["legalBasis"] = "consent", ["source"] = granted ? "web form" : "phone call",
            });
        }
        await SignInAsync(_admin);
        await _page.GetByTestId("nav-contacts").ClickAsync();
        await _page.GetByTestId("contact-search").FillAsync("Otto");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await _page.GetByTestId($"contact-{contactId}").ClickAsync();
        await Expect(_page.GetByTestId("contact-name")).ToHaveTextAsync("Otto Objection");
        await _page.GetByTestId("contact-tab-privacy").ClickAsync();

        var marketing = _page.GetByTestId("standing-Marketing messages");
        await Expect(marketing).ToContainTextAsync("no");
        await Expect(marketing).ToContainTextAsync("withdrawn on");
        await Expect(marketing).ToContainTextAsync("by phone call (consent)");
        await Expect(_page.GetByTestId("consents-marketing").Locator("li")).ToHaveCountAsync(2);
        await Expect(_page.GetByTestId("consents-marketing").Locator("li").First).ToContainTextAsync("withdrawn");

        await _page.GetByTestId("contact-request-type").SelectOptionAsync("objection");
        await _page.GetByTestId("contact-request-purpose").SelectOptionAsync("automation");
        await _page.GetByTestId("contact-record-request").ClickAsync();
        var requests = _page.GetByTestId("contact-requests").Locator("tbody tr");
        await Expect(requests).ToHaveCountAsync(1);
        await Expect(requests).ToContainTextAsync("objection (automation)");
        await Expect(requests).ToContainTextAsync("29 days left");
        await Expect(_page.GetByTestId("standing-Open requests")).ToContainTextAsync("objection due");

        await _page.GetByTestId("contact-hold-reason").FillAsync("Pending lawsuit");
        await _page.GetByTestId("contact-place-hold").ClickAsync();
        await Expect(_page.GetByTestId("contact-holds")).ToContainTextAsync("This person: Pending lawsuit");
        await Expect(_page.GetByTestId("standing-Erasure")).ToContainTextAsync("held");
        await ScreenshotAsync("contact-privacy-tab");

        // The tab is in the address: a reload comes back to it, and the request opens in the privacy centre.
        await _page.ReloadAsync();
        await Expect(_page.GetByTestId("contact-privacy")).ToBeVisibleAsync();
        // Every read of the person so far is on their page: who, what, through which client.
        await Expect(_page.GetByTestId("contact-access")).ToContainTextAsync("contact.read");
        await Expect(_page.GetByTestId("contact-access")).ToContainTextAsync("contact.consents.read");
        await requests.GetByRole(AriaRole.Link, new() { Name = "Open in the privacy centre" }).ClickAsync();
        await Expect(_page.GetByTestId("privacy-request")).ToContainTextAsync("objection request");
        await Expect(_page.GetByTestId("legal-holds")).ToContainTextAsync("Pending lawsuit");
        await _page.GetByTestId("subject-contact").ClickAsync();
        await Expect(_page.GetByTestId("contact-privacy")).ToBeVisibleAsync();
    }
}
