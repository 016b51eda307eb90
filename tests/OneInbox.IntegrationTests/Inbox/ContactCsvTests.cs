using System.Net;
using System.Text;
using System.Text.Json;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

public class ContactCsvTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task A_valid_file_imports_every_row_and_exports_back()
    {
        var agent = await (await App.CreateWorkspaceAsync()).ClientAsync(WorkspaceRole.Agent);
        const string csv = "displayName,phoneNumbers,emails,tags\nAnn,+14155550123,ann@example.com,vip;b2b\n\"Lee, Bo\",,bo@example.com,\n";

        var imported = await (await agent.PostAsync("/api/v1/contacts/import", Csv(csv))).ReadAsync<JsonElement>();
        var exported = await (await agent.GetAsync("/api/v1/contacts/export")).Content.ReadAsStringAsync();

        Assert.Equal(2, imported.GetProperty("count").GetInt32());
        var lines = exported.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("id,displayName,phoneNumbers,emails,company,locale,tags", lines[0]);
        Assert.Contains(lines, l => l.Contains(",Ann,", StringComparison.Ordinal) && l.Contains("ann@example.com,,,b2b;vip", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"Lee, Bo\"", StringComparison.Ordinal));

        // The export reads back in (into another workspace) with the same numbers, formula escaping notwithstanding.
        var other = await (await App.CreateWorkspaceAsync("Globex")).ClientAsync(WorkspaceRole.Agent);
        var reimport = string.Join('\n', lines.Select(l => l[(l.IndexOf(',', StringComparison.Ordinal) + 1)..]));
        await (await other.PostAsync("/api/v1/contacts/import", Csv(reimport))).ReadAsync<JsonElement>();
        var found = await (await other.GetAsync("/api/v1/contacts?search=%2B14155550123")).ReadAsync<Page<ContactView>>();
        Assert.Equal("Ann", Assert.Single(found.Items).DisplayName);
    }

    [Fact]
    public async Task A_formula_in_a_name_is_escaped_in_the_export()
    {
        var agent = await (await App.CreateWorkspaceAsync()).ClientAsync(WorkspaceRole.Agent);
        await agent.PostJsonAsync("/api/v1/contacts", new { displayName = "=HYPERLINK(\"http://evil\")" });

        var exported = await (await agent.GetAsync("/api/v1/contacts/export")).Content.ReadAsStringAsync();

        Assert.DoesNotContain(",=HYPERLINK", exported, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=HYPERLINK", exported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_bad_rows_reports_each_line_and_stores_nothing()
    {
        var agent = await (await App.CreateWorkspaceAsync()).ClientAsync(WorkspaceRole.Agent);
        const string csv = "displayName,phoneNumbers,emails\nAnn,+14155550123,ann@example.com\n,,\nBob,12345,not-an-email\n";

        var response = await agent.PostAsync("/api/v1/contacts/import", Csv(csv));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("rows[3].displayName", out _));
        Assert.True(errors.TryGetProperty("rows[4].phoneNumbers", out _));
        Assert.True(errors.TryGetProperty("rows[4].emails", out _));
        Assert.False(errors.TryGetProperty("rows[2].displayName", out _));
        Assert.Equal(0L, await App.CountAsync("Contacts"));
    }

    [Fact]
    public async Task An_unknown_column_is_refused()
    {
        var agent = await (await App.CreateWorkspaceAsync()).ClientAsync(WorkspaceRole.Agent);

        var response = await agent.PostAsync("/api/v1/contacts/import", Csv("displayName,shoeSize\nAnn,42\n"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("shoeSize", problem.GetProperty("errors").GetProperty("csv")[0].GetString());
        Assert.Equal(0L, await App.CountAsync("Contacts"));
    }

    private static StringContent Csv(string body) => new(body, Encoding.UTF8, "text/csv");
}
