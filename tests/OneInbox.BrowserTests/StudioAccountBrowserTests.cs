using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneInbox.BrowserTests.Infrastructure;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;
using static Microsoft.Playwright.Assertions;

namespace OneInbox.BrowserTests;

/// <summary>
/// Age and policy acceptance in the browser (privacy policy §9 and §11), and the two ways out: an Owner closes the
/// workspace, a member deletes their own account.
/// </summary>
public sealed partial class StudioBrowserTests
{
    [Fact]
    public async Task An_invited_person_confirms_their_age_to_join_and_accepts_a_changed_policy_at_their_next_sign_in()
    {
        var invitation = await _api.SendAsync(HttpMethod.Post, "/api/v1/invitations", new JsonObject { ["email"] = "grace.agent@example.test", ["role"] = "admin" });
        await _page.GotoAsync($"/studio/invitation#token={invitation["token"]}");
        await _page.GetByLabel("Your name").FillAsync("Grace Hopper");
        await _page.GetByLabel("Password").FillAsync(StudioServer.Password);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(_page.Locator("#accept-adult-error")).ToContainTextAsync("18 or older");
        await _page.GetByTestId("accept-adult").CheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to Acme" })).ToBeVisibleAsync();

        var grace = new StudioUser(Guid.Empty, "grace.agent@example.test", "Grace Hopper", _admin.WorkspaceId, _admin.WorkspaceName, WorkspaceRole.Admin);
        await SignInAsync(grace);
        await _page.GetByTestId("nav-account").ClickAsync();
        await Expect(_page.GetByTestId("adult-confirmed")).ToContainTextAsync("Confirmed 18 or older on");
        await Expect(_page.GetByTestId("policy-status")).ToContainTextAsync("You accepted version 2026-02-12, the one in force");
        await _page.GetByTestId("sign-out").ClickAsync();
        await Expect(_page.GetByTestId("sign-in")).ToBeVisibleAsync();

        // The policy changes after she accepted it (here: her record says an older version); the next sign-in asks first.
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<OneInboxDbContext>().Users.Where(u => u.Email == grace.Email)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.AcceptedPolicyVersion, "2025-06-01"));
        await _page.GetByTestId("sign-in").ClickAsync();
        await _page.GetByLabel("Email").FillAsync(grace.Email);
        await _page.GetByLabel("Password").FillAsync(StudioServer.Password);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Privacy policy, version 2026-02-12" })).ToBeVisibleAsync();
        await Expect(_page.GetByText("changed since you accepted version 2025-06-01")).ToBeVisibleAsync();
        await Expect(_page.GetByText("First published version")).ToBeVisibleAsync();
        await ScreenshotAsync("policy-changed-at-sign-in");
        await _page.GetByLabel("I have read and accept the privacy policy.").CheckAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Accept and continue" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Flows" })).ToBeVisibleAsync();
        await _page.GetByTestId("nav-account").ClickAsync();
        await Expect(_page.GetByTestId("policy-status")).ToContainTextAsync("You accepted version 2026-02-12, the one in force");
    }

    [Fact]
    public async Task A_member_deletes_their_account_and_the_only_owner_closes_the_workspace_from_the_studio()
    {
        var agent = await server.AddMemberAsync(_admin.WorkspaceId, _admin.WorkspaceName, WorkspaceRole.Auditor, "Leo Leaving");
        await SignInAsync(agent);
        await _page.GetByTestId("nav-account").ClickAsync();
        await _page.GetByTestId("delete-password").FillAsync("not my password");
        await _page.GetByTestId("delete-account").ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That is not your password.");
        await _page.GetByTestId("delete-password").FillAsync(StudioServer.Password);
        await _page.GetByTestId("delete-account").ClickAsync();
        await Expect(_page.GetByTestId("account-deleted")).ToContainTextAsync("A confirmation was sent to " + agent.Email);
        await _page.GetByTestId("leave").ClickAsync();
        await Expect(_page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            Assert.False(await db.Users.AnyAsync(u => u.Email == agent.Email));
            Assert.False(await db.Members.IgnoreQueryFilters().AnyAsync(m => m.UserId == agent.UserId));
        }

        // The Owner: deleting their account would close Acme, so the page warns; closing from the People page instead.
        await SignInAsync(_admin);
        await _page.GetByTestId("nav-account").ClickAsync();
        await _page.GetByTestId("delete-password").FillAsync(StudioServer.Password);
        await _page.GetByTestId("delete-account").ClickAsync();
        await Expect(_page.GetByTestId("sole-owner-warning")).ToContainTextAsync("You are the only Owner of Acme");
        await Expect(_page.GetByTestId("delete-account")).ToBeDisabledAsync();

        await _page.GetByTestId("nav-people").ClickAsync();
        await _page.GetByTestId("close-confirm").FillAsync("Acm");
        await Expect(_page.GetByTestId("close-workspace")).ToBeDisabledAsync();
        await _page.GetByTestId("close-confirm").FillAsync("acme");
        await _page.GetByTestId("close-workspace").ClickAsync();
        await Expect(_page.GetByTestId("workspace-closed")).ToContainTextAsync("Its data is kept until");
        await ScreenshotAsync("workspace-closed");
        await _page.GetByTestId("leave-closed").ClickAsync();
        await Expect(_page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await using (var scope = server.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<OneInboxDbContext>().Workspaces.AnyAsync(w => w.Id == _admin.WorkspaceId && w.ClosedAt != null));
    }
}
