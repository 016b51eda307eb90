using System.Net;
using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Privacy;

/// <summary>The server on a clock the test turns: privacy deadlines are days long.</summary>
public sealed class PrivacyClockApp : OneInboxApp
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("OneInbox:Privacy:RunJob", "false");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public class PrivacyRequestTests(PrivacyClockApp app) : IClassFixture<PrivacyClockApp>, IAsyncLifetime
{
    public async Task InitializeAsync() => await app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_case_is_due_in_thirty_days_moves_through_its_states_and_every_change_is_audited()
    {
        var a = await app.CreateWorkspaceAsync();
        var owner = a.Owner.Client;
        var contact = await (await owner.PostJsonAsync("/api/v1/contacts", new { displayName = "Ada", emails = new[] { "ada@example.test" } })).ReadAsync<JsonElement>(HttpStatusCode.Created);

        var created = await (await owner.PostJsonAsync("/api/v1/privacy/requests", new { type = "access", channel = "email", email = "ada@example.test" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal(contact.GetProperty("id").GetGuid(), created.GetProperty("contactId").GetGuid());
        Assert.Equal("received", created.GetProperty("status").GetString());
        Assert.Equal(created.GetProperty("receivedAt").GetDateTimeOffset().AddDays(30), created.GetProperty("dueAt").GetDateTimeOffset());
        var id = created.GetProperty("id").GetGuid();

        await (await owner.PostJsonAsync($"/api/v1/privacy/requests/{id}/refuse", new { reason = "Manifestly unfounded", legalBasis = "" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var started = await (await owner.PostAsync($"/api/v1/privacy/requests/{id}/start", null)).ReadAsync<JsonElement>();
        Assert.Equal("inProgress", started.GetProperty("status").GetString());
        await (await owner.PostAsync($"/api/v1/privacy/requests/{id}/start", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        var completed = await (await owner.PostJsonAsync($"/api/v1/privacy/requests/{id}/complete", new { note = "Export handed over by email" })).ReadAsync<JsonElement>();
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(["received", "started", "completed"], completed.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("what").GetString()!).ToArray());

        var auditor = await a.ClientAsync(WorkspaceRole.Auditor);
        await (await auditor.GetAsync($"/api/v1/privacy/requests/{id}")).ReadAsync<JsonElement>();
        await (await auditor.PostAsync($"/api/v1/privacy/requests/{id}/start", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var audit = await (await owner.GetAsync("/api/v1/audit-events")).Content.ReadAsStringAsync();
        foreach (var action in new[] { "privacy.request_received", "privacy.request_started", "privacy.request_completed" })
            Assert.Contains(action, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_may_answer_faster_but_never_slower_than_thirty_days()
    {
        var a = await app.CreateWorkspaceAsync();
        var owner = a.Owner.Client;
        await (await owner.PutAsJsonWebAsync("/api/v1/privacy/settings", new { responseDays = 31 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var settings = await (await owner.PutAsJsonWebAsync("/api/v1/privacy/settings", new { responseDays = 14 })).ReadAsync<JsonElement>();
        Assert.Equal(14, settings.GetProperty("responseDays").GetInt32());
        var contact = await (await owner.PostJsonAsync("/api/v1/contacts", new { displayName = "Bo" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var created = await (await owner.PostJsonAsync("/api/v1/privacy/requests", new { type = "restriction", channel = "phone", contactId = contact.GetProperty("id").GetGuid() }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal(created.GetProperty("receivedAt").GetDateTimeOffset().AddDays(14), created.GetProperty("dueAt").GetDateTimeOffset());

        var completed = await (await owner.PostJsonAsync($"/api/v1/privacy/requests/{created.GetProperty("id").GetGuid()}/complete", new { })).ReadAsync<JsonElement>();
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        var restricted = await (await owner.GetAsync($"/api/v1/contacts/{contact.GetProperty("id").GetGuid()}")).ReadAsync<JsonElement>();
        Assert.True(restricted.GetProperty("processingRestricted").GetBoolean());
    }

    [Fact]
    public async Task Owners_are_warned_seven_days_and_one_day_before_and_a_late_case_shows_overdue()
    {
        var a = await app.CreateWorkspaceAsync();
        var contact = await (await a.Owner.Client.PostJsonAsync("/api/v1/contacts", new { displayName = "Cy" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var created = await (await a.Owner.Client.PostJsonAsync("/api/v1/privacy/requests",
            new { type = "objection", purpose = "marketing", channel = "api", contactId = contact.GetProperty("id").GetGuid() })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        Assert.Equal(new PrivacyDeadlineRound(0, 0), await RoundAsync(a));
        app.Clock.Advance(TimeSpan.FromDays(23.5));
        Assert.Equal(new PrivacyDeadlineRound(1, 0), await RoundAsync(a));
        Assert.Equal(new PrivacyDeadlineRound(0, 0), await RoundAsync(a));
        app.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(new PrivacyDeadlineRound(1, 0), await RoundAsync(a));
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new PrivacyDeadlineRound(0, 1), await RoundAsync(a));

        // Tokens were issued on the old day: sign in again on the clock's new day.
        var owner = (await app.SignInAsync(a.Owner.UserId, a.Owner.Email, TestWorkspace.Password, WorkspaceRole.Owner, a.Id)).Client;
        var overdue = await (await owner.GetAsync("/api/v1/privacy/requests?overdue=true")).ReadAsync<JsonElement>();
        var listed = Assert.Single(overdue.EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetGuid());
        Assert.True(listed.GetProperty("daysLeft").GetDouble() < 0);
        Assert.Equal(3, listed.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("what").GetString() == "deadline_warning"));
        var audit = await (await owner.GetAsync("/api/v1/audit-events")).Content.ReadAsStringAsync();
        Assert.Contains("privacy.request_overdue", audit, StringComparison.Ordinal);

        // Completing late is still possible, and the consent withdrawal is applied.
        await (await owner.PostJsonAsync($"/api/v1/privacy/requests/{id}/complete", new { })).ReadAsync<JsonElement>();
        var after = await (await owner.GetAsync($"/api/v1/contacts/{contact.GetProperty("id").GetGuid()}")).ReadAsync<JsonElement>();
        Assert.False(after.GetProperty("marketingConsent").GetBoolean());
    }

    private Task<PrivacyDeadlineRound> RoundAsync(TestWorkspace a) =>
        app.InWorkspaceAsync(a.Id, services => services.GetRequiredService<ISender>().Send(new WatchPrivacyDeadlines()).AsTask());
}

internal static class JsonPut
{
    public static Task<HttpResponseMessage> PutAsJsonWebAsync(this HttpClient client, string url, object body) =>
        System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(client, url, body, JsonSerializerOptions.Web);
}
