using Microsoft.Playwright;
using OneInbox.BrowserTests.Infrastructure;
using OneInbox.Domain.Identity;
using OneInbox.TestFakes;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>
/// An admin does the whole job in the Studio (issue #15): channels, people, the trigger of a flow drawn from an
/// empty canvas, publishing, and the bot answering at the Telegram fake through the real workers.
/// </summary>
public sealed partial class StudioBrowserTests
{
    [Fact]
    public async Task A_new_admin_connects_Telegram_creates_a_team_draws_a_keyword_flow_and_only_keyword_messages_are_answered()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        await SignInAsync(_admin);

        await _page.GetByTestId("nav-channels").ClickAsync();
        await _page.GetByTestId("connect-type").SelectOptionAsync("telegram");
        await _page.GetByTestId("connect-name").FillAsync("Shop bot");
        await _page.GetByTestId("connect-mode").SelectOptionAsync("polling");
        await _page.GetByTestId("channel-field-botToken").FillAsync(telegram.Token);
        await _page.GetByText("Advanced").ClickAsync();
        await _page.GetByTestId("connect-base-url").FillAsync(telegram.BaseUrl.ToString());
        await _page.GetByTestId("connect").ClickAsync();
        await Expect(_page.GetByTestId("shown-once")).ToContainTextAsync("Shown once.");
        await Expect(_page.GetByTestId("secret-inbound")).Not.ToBeEmptyAsync();
        await _page.GetByTestId("shown-once-done").ClickAsync();
        var connection = _page.GetByTestId("connection-Shop bot");
        await Expect(connection).ToContainTextAsync("Waiting for a first message");
        await ScreenshotAsync("channels-connected");

        await _page.GetByTestId("nav-people").ClickAsync();
        await _page.GetByTestId("team-name").FillAsync("Support");
        await _page.GetByLabel("Members of the new team").GetByLabel("Ada Admin").CheckAsync();
        await _page.GetByTestId("create-team").ClickAsync();
        await Expect(_page.GetByTestId("team-Support")).ToBeVisibleAsync();

        await _page.GetByTestId("nav-flows").ClickAsync();
        await _page.GetByTestId("new-flow-name").FillAsync("Price bot");
        await _page.GetByTestId("create-flow").ClickAsync();
        await CanvasReadyAsync();
        await _page.GetByTestId("tab-trigger").ClickAsync();
        await Expect(_page.GetByTestId("trigger-type")).ToHaveValueAsync("MessageReceived");
        await Expect(_page.GetByTestId("trigger-first-only")).ToBeCheckedAsync();
        await _page.GetByTestId("trigger-first-only").UncheckAsync();
        await _page.GetByTestId("trigger-channel-telegram").CheckAsync();
        await _page.GetByTestId("trigger-keyword-input").FillAsync("price");
        await _page.GetByTestId("trigger-keyword-input").PressAsync("Enter");
        await Expect(_page.GetByTestId("trigger-keyword")).ToHaveCountAsync(1);

        await DropAsync("SendMessage", 60, 40);
        await DropAsync("AssignToTeam", 60, 220);
        await ConfigureAsync("sendMessage1", "input-text", "Our prices start at 10 EUR.");
        await SelectNodeAsync("assignToTeam1");
        await _page.GetByTestId("input-teamId").SelectOptionAsync(new SelectOptionValue { Label = "Support" });
        await ConnectAsync("port-sendMessage1-done", "assignToTeam1");
        await _page.GetByTestId("publish").ClickAsync();
        await Expect(_page.GetByTestId("notice")).ToContainTextAsync("Published version 1.");
        await ScreenshotAsync("designer-keyword-flow");

        await _page.GetByRole(AriaRole.Link, new() { Name = "Back to flows" }).ClickAsync();
        await Expect(_page.Locator("td.trigger-summary")).ToHaveTextAsync("answers Telegram messages containing 'price'");

        telegram.EnqueueUpdate(Update(601, chat: 78, "Hello, is anyone there?"));
        telegram.EnqueueUpdate(Update(602, chat: 77, "What is the price of a cake?"));
        var reply = await telegram.WaitForCallAsync("sendMessage", c => c.Text("chat_id") == "77", TimeSpan.FromSeconds(90));
        Assert.Equal("Our prices start at 10 EUR.", reply.Text("text"));
        // Both updates came in one poll and were handled in order; give the first one time to show it stays unanswered.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(telegram.CallsTo("sendMessage"), c => c.Text("chat_id") == "78");

        await _page.GetByTestId("nav-channels").ClickAsync();
        await Expect(_page.GetByTestId("connection-Shop bot").GetByTestId("connection-state")).ToHaveTextAsync("Receiving");
        await ScreenshotAsync("channels-health");
    }

    [Fact]
    public async Task The_trigger_editor_refuses_a_bad_regex_and_a_bad_cron_with_the_fields_message()
    {
        await _api.CreateFlowAsync("Greeting", Graphs.Greeting("Hi"));
        await OpenDesignerAsync(_admin, "Greeting");
        await _page.GetByTestId("tab-trigger").ClickAsync();

        await _page.GetByTestId("trigger-type").SelectOptionAsync("MessageReceived");
        await _page.GetByTestId("trigger-regex").FillAsync("price(");
        var regex = _page.GetByTestId("trigger-regex");
        await Expect(regex).ToHaveAttributeAsync("aria-invalid", "true");
        var regexError = _page.Locator($"#{await ErrorIdOfAsync(regex)}");
        await Expect(regexError).ToContainTextAsync("The regular expression is not valid");
        // The server refuses it too, under the same field, and the problems lead back to the trigger.
        await _page.GetByTestId("publish").ClickAsync();
        await Expect(_page.GetByTestId("problems")).ToContainTextAsync("trigger.regex");
        await _page.GetByTestId("problems").GetByRole(AriaRole.Button, new() { Name = "Trigger", Exact = true }).ClickAsync();
        await Expect(_page.GetByTestId("trigger-regex")).ToHaveValueAsync("price(");

        await _page.GetByTestId("trigger-type").SelectOptionAsync("Schedule");
        await _page.GetByTestId("trigger-timezone").FillAsync("Europe/Berlin");
        await Expect(_page.GetByTestId("trigger-next").Locator("li")).ToHaveCountAsync(5);
        await _page.GetByTestId("trigger-cron").FillAsync("0 25 * * *");
        var cron = _page.GetByTestId("trigger-cron");
        await Expect(cron).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(_page.Locator($"#{await ErrorIdOfAsync(cron)}")).ToHaveTextAsync("The cron expression is not valid: The hour 25 is outside 0-23.");
        await Expect(_page.GetByTestId("trigger-next")).ToHaveCountAsync(0);
        await ScreenshotAsync("trigger-bad-cron");
        await _page.GetByTestId("publish").ClickAsync();
        await Expect(_page.GetByTestId("problems")).ToContainTextAsync("trigger.cron");
    }

    [Fact]
    public async Task Invitation_links_and_integration_client_secrets_are_shown_once()
    {
        await SignInAsync(_admin);
        await _page.GetByTestId("nav-people").ClickAsync();

        await _page.GetByTestId("invite-email").FillAsync("not-an-email");
        await _page.GetByTestId("invite").ClickAsync();
        await Expect(_page.Locator("#invite-email-error")).Not.ToBeEmptyAsync();
        await _page.GetByTestId("invite-email").FillAsync("new.agent@example.test");
        await _page.GetByTestId("invite").ClickAsync();
        await Expect(_page.GetByTestId("invitation-link")).ToContainTextAsync("/studio/invitation#token=");
        await _page.GetByTestId("shown-once-done").ClickAsync();
        await Expect(_page.GetByTestId("invitation-link")).ToHaveCountAsync(0);

        await _page.GetByTestId("client-name").FillAsync("Shop backend");
        await _page.GetByTestId("create-client").ClickAsync();
        var secret = await _page.GetByTestId("client-secret").TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(secret));
        await ScreenshotAsync("client-secret-shown-once");
        await _page.GetByTestId("shown-once-done").ClickAsync();

        await _page.ReloadAsync();
        await Expect(_page.GetByTestId("invitation-new.agent@example.test")).ToContainTextAsync("Waiting");
        await Expect(_page.GetByTestId("client-Shop backend")).ToContainTextAsync("Active");
        await Expect(_page.GetByTestId("invitation-link")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("client-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret!, await _page.ContentAsync(), StringComparison.Ordinal);

        _page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Revoke Shop backend" }).ClickAsync();
        await Expect(_page.GetByTestId("client-Shop backend")).ToContainTextAsync("Revoked");
    }

    [Fact]
    public async Task An_admin_sets_the_time_zone_and_business_hours_and_a_new_schedule_starts_in_that_zone()
    {
        await SignInAsync(_admin);
        await _page.GetByTestId("nav-people").ClickAsync();
        await Expect(_page.GetByTestId("hours-summary")).ToContainTextAsync("Mon–Fri 09:00–17:00");

        await _page.GetByTestId("workspace-timezone").FillAsync("Mars/Olympus_Mons");
        await Expect(_page.Locator("#workspace-zone-error")).ToContainTextAsync("unknown");
        await _page.GetByTestId("workspace-timezone").FillAsync("Europe/Berlin");
        await Expect(_page.Locator("#workspace-zone-error")).ToHaveCountAsync(0);

        await _page.GetByTestId("hours-saturday-add").ClickAsync();
        await _page.GetByTestId("hours-saturday-0-open").FillAsync("10:00");
        await _page.GetByTestId("hours-saturday-0-close").FillAsync("09:30");
        await Expect(_page.GetByTestId("hours-saturday-0-error")).ToHaveTextAsync("Closing time must be after the opening time.");
        await _page.GetByTestId("hours-saturday-0-close").FillAsync("14:00");
        await Expect(_page.GetByTestId("hours-saturday-0-error")).ToHaveCountAsync(0);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Remove Friday 09:00–17:00" }).ClickAsync();
        await _page.GetByTestId("holiday-date").FillAsync("2026-12-24");
        await _page.GetByTestId("add-holiday").ClickAsync();
        await _page.GetByTestId("save-workspace").ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        await ScreenshotAsync("business-hours");

        await _page.ReloadAsync();
        await Expect(_page.GetByTestId("workspace-timezone")).ToHaveValueAsync("Europe/Berlin");
        await Expect(_page.GetByTestId("hours-summary")).ToContainTextAsync("Mon–Thu 09:00–17:00 · Sat 10:00–14:00 · 1 closed date");
        await Expect(_page.GetByTestId("holiday-2026-12-24")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("hours-friday")).ToContainTextAsync("Closed");

        await _page.GetByTestId("nav-flows").ClickAsync();
        await _page.GetByTestId("new-flow-name").FillAsync("Morning report");
        await _page.GetByTestId("create-flow").ClickAsync();
        await CanvasReadyAsync();
        await _page.GetByTestId("tab-trigger").ClickAsync();
        await _page.GetByTestId("trigger-type").SelectOptionAsync("Schedule");
        await Expect(_page.GetByTestId("trigger-timezone")).ToHaveValueAsync("Europe/Berlin");
    }

    [Fact]
    public async Task An_auditor_sees_the_admin_pages_read_only_and_an_agent_is_sent_away()
    {
        await _api.CreateFlowAsync("Greeting", Graphs.Greeting("Hi"));
        var auditor = await server.AddMemberAsync(_admin.WorkspaceId, _admin.WorkspaceName, WorkspaceRole.Auditor, "Audrey Auditor");
        var agent = await server.AddMemberAsync(_admin.WorkspaceId, _admin.WorkspaceName, WorkspaceRole.Agent, "Arno Agent");

        await SignInAsync(auditor);
        await _page.GetByTestId("nav-people").ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "People" })).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("member-" + agent.Email)).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("create-team")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("invite")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("workspace-name")).ToHaveAttributeAsync("readonly", "");
        await Expect(_page.GetByTestId("workspace-timezone")).ToHaveAttributeAsync("readonly", "");
        await Expect(_page.GetByTestId("hours-monday-0-open")).ToHaveAttributeAsync("readonly", "");
        await Expect(_page.GetByTestId("save-workspace")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("hours-monday-add")).ToHaveCountAsync(0);
        await _page.GetByTestId("nav-channels").ClickAsync();
        await Expect(_page.GetByText("Channel connections and their credentials are for admins.")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("connect")).ToHaveCountAsync(0);
        await ScreenshotAsync("auditor-channels");

        await _context.DisposeAsync();
        _context = await server.NewContextAsync();
        _page = await _context.NewPageAsync();
        await SignInAsync(agent);
        await Expect(_page.GetByTestId("nav-channels")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("nav-people")).ToHaveCountAsync(0);
        await _page.GotoAsync("/studio/people");
        await Expect(_page.GetByTestId("sent-away")).ToContainTextAsync("That page is for admins");
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Flows" })).ToBeVisibleAsync();
        Assert.EndsWith("/studio/", _page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_admin_page_can_be_worked_with_the_keyboard_and_shows_where_the_focus_is()
    {
        await SignInAsync(_admin);
        await _page.GetByTestId("nav-people").FocusAsync();
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "People" })).ToBeVisibleAsync();
        await _page.GetByTestId("team-name").FocusAsync();
        await _page.Keyboard.TypeAsync("Billing");
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.GetByTestId("team-Billing")).ToBeVisibleAsync();

        await _page.GetByTestId("canned-code").FocusAsync();
        await _page.Keyboard.TypeAsync("hi");
        await _page.Keyboard.PressAsync("Tab");
        await _page.Keyboard.TypeAsync("Hello {{ contact.name }}, {{ agent.name }} here.");
        await Expect(_page.GetByTestId("canned-preview")).ToHaveTextAsync("Hello Maria Rossi, Ada here.");
        var outline = await _page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.Equal("solid", outline);
        await _page.GetByTestId("save-canned").FocusAsync();
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.GetByText("/hi", new() { Exact = true })).ToBeVisibleAsync();
    }

    private static async Task<string> ErrorIdOfAsync(ILocator field) =>
        (await field.GetAttributeAsync("aria-describedby"))!.Split(' ').Single(id => id.EndsWith("-error", StringComparison.Ordinal));

    private static string Update(int id, int chat, string text) => $$"""
        { "update_id": {{id}}, "message": { "message_id": {{id}}, "from": { "id": {{chat}}, "is_bot": false, "first_name": "Ann" },
          "chat": { "id": {{chat}}, "type": "private" }, "date": 1767225600, "text": "{{text}}" } }
        """;
}
