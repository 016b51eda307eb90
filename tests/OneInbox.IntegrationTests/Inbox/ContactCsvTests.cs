using System.Net;
using System.Net.Http.Json;
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

        // The export reads back in as it is (into another workspace) with the same numbers, formula escaping
        // notwithstanding; its id column is ignored and the copies get ids of their own.
        var other = await (await App.CreateWorkspaceAsync("Globex")).ClientAsync(WorkspaceRole.Agent);
        await (await other.PostAsync("/api/v1/contacts/import", Csv(exported))).ReadAsync<JsonElement>();
        var found = await (await other.GetAsync("/api/v1/contacts?search=%2B14155550123")).ReadAsync<Page<ContactView>>();
        var copy = Assert.Single(found.Items);
        Assert.Equal("Ann", copy.DisplayName);
        var originals = await (await agent.GetAsync("/api/v1/contacts?search=%2B14155550123")).ReadAsync<Page<ContactView>>();
        Assert.NotEqual(Assert.Single(originals.Items).Id, copy.Id);
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

    [Fact]
    public async Task Attribute_columns_import_typed_values_in_canonical_form()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        await DefineAttributesAsync(workspace);
        const string csv = "displayName,attribute:seats,attribute:renewal,attribute:trial,attribute:plan,attribute:note\n"
            + "Ann,1500.50,2027-03-01,TRUE,gold,\"Prefers email, mornings\"\n"
            + "Bo,,,,,\n";

        var imported = await (await agent.PostAsync("/api/v1/contacts/import", Csv(csv))).ReadAsync<JsonElement>();

        Assert.Equal(2, imported.GetProperty("count").GetInt32());
        var ann = Assert.Single((await (await agent.GetAsync("/api/v1/contacts?search=Ann")).ReadAsync<Page<ContactView>>()).Items);
        Assert.Equal("1500.50", ann.Attributes["seats"]);
        Assert.Equal("2027-03-01", ann.Attributes["renewal"]);
        Assert.Equal("true", ann.Attributes["trial"]);
        Assert.Equal("gold", ann.Attributes["plan"]);
        Assert.Equal("Prefers email, mornings", ann.Attributes["note"]);
        var byAttribute = await (await agent.GetAsync("/api/v1/contacts?attribute=plan:gold")).ReadAsync<Page<ContactView>>();
        Assert.Equal([ann.Id], byAttribute.Items.Select(c => c.Id));
        var bo = Assert.Single((await (await agent.GetAsync("/api/v1/contacts?search=Bo")).ReadAsync<Page<ContactView>>()).Items);
        Assert.Empty(bo.Attributes);
    }

    [Fact]
    public async Task Bad_attribute_values_name_the_line_and_column_and_store_nothing()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        await DefineAttributesAsync(workspace);
        const string csv = "displayName,attribute:seats,attribute:renewal,attribute:plan\n"
            + "Ann,12,2027-03-01,gold\n"
            + "Bo,many,2027-03-01,free\n"
            + "Cy,3,03/01/2027,platinum\n";

        var response = await agent.PostAsync("/api/v1/contacts/import", Csv(csv));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Contains("Line 3, column attribute:seats", errors.GetProperty("rows[3].attribute:seats")[0].GetString());
        Assert.Contains("number", errors.GetProperty("rows[3].attribute:seats")[0].GetString());
        Assert.Contains("yyyy-MM-dd", errors.GetProperty("rows[4].attribute:renewal")[0].GetString());
        Assert.Contains("free, gold", errors.GetProperty("rows[4].attribute:plan")[0].GetString());
        Assert.False(errors.TryGetProperty("rows[2].attribute:seats", out _));
        Assert.Equal(0L, await App.CountAsync("Contacts", $"\"WorkspaceId\" = '{workspace.Id}'"));
    }

    [Fact]
    public async Task A_column_for_an_undefined_attribute_is_refused_by_name()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        await DefineAttributesAsync(workspace);
        // Defined in another workspace only: it does not count here.
        await DefineAsync(await App.CreateWorkspaceAsync("Globex"), new { key = "shoe_size", label = "Shoe size", type = "number" });

        var response = await agent.PostAsync("/api/v1/contacts/import", Csv("displayName,attribute:seats,attribute:shoe_size\nAnn,2,42\n"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").GetProperty("csv").EnumerateArray()).GetString();
        Assert.Contains("'attribute:shoe_size'", error);
        Assert.DoesNotContain("seats", error);
        Assert.Equal(0L, await App.CountAsync("Contacts", $"\"WorkspaceId\" = '{workspace.Id}'"));
    }

    [Fact]
    public async Task An_export_with_attributes_imports_again_into_the_same_values()
    {
        var workspace = await App.CreateWorkspaceAsync();
        var agent = await workspace.ClientAsync(WorkspaceRole.Agent);
        await DefineAttributesAsync(workspace);
        var ann = await (await agent.PostJsonAsync("/api/v1/contacts", new { displayName = "Ann", phoneNumbers = new[] { "+14155550123" } }))
            .ReadAsync<ContactView>(HttpStatusCode.Created);
        await (await agent.PatchAsJsonAsync($"/api/v1/contacts/{ann.Id}",
            new { attributes = new { seats = -3.25, renewal = "2027-03-01", trial = false, plan = "free", note = "=SUM(A1)" } })).ReadAsync<ContactView>();
        await agent.PostJsonAsync("/api/v1/contacts", new { displayName = "Bo" });

        var exported = await (await agent.GetAsync("/api/v1/contacts/export")).Content.ReadAsStringAsync();
        var lines = exported.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("id,displayName,phoneNumbers,emails,company,locale,tags,attribute:note,attribute:plan,attribute:renewal,attribute:seats,attribute:trial", lines[0]);

        // Into a workspace with the same definitions, as it is: the id column is ignored.
        var other = await App.CreateWorkspaceAsync("Globex");
        await DefineAttributesAsync(other);
        var otherAgent = await other.ClientAsync(WorkspaceRole.Agent);
        var imported = await (await otherAgent.PostAsync("/api/v1/contacts/import", Csv(exported))).ReadAsync<JsonElement>();

        Assert.Equal(2, imported.GetProperty("count").GetInt32());
        var copy = Assert.Single((await (await otherAgent.GetAsync("/api/v1/contacts?search=%2B14155550123")).ReadAsync<Page<ContactView>>()).Items);
        var original = await (await agent.GetAsync($"/api/v1/contacts/{ann.Id}")).ReadAsync<ContactView>();
        Assert.Equal(original.Attributes, copy.Attributes);
        Assert.Equal("-3.25", copy.Attributes["seats"]);
        Assert.Equal("=SUM(A1)", copy.Attributes["note"]);
        var bo = Assert.Single((await (await otherAgent.GetAsync("/api/v1/contacts?search=Bo")).ReadAsync<Page<ContactView>>()).Items);
        Assert.Empty(bo.Attributes);
    }

    private static async Task DefineAttributesAsync(TestWorkspace workspace)
    {
        await DefineAsync(workspace, new { key = "seats", label = "Seats", type = "number" });
        await DefineAsync(workspace, new { key = "renewal", label = "Renewal", type = "date" });
        await DefineAsync(workspace, new { key = "trial", label = "Trial", type = "boolean" });
        await DefineAsync(workspace, new { key = "plan", label = "Plan", type = "list", options = new[] { "free", "gold" } });
        await DefineAsync(workspace, new { key = "note", label = "Note", type = "text" });
    }

    private static async Task DefineAsync(TestWorkspace workspace, object body) =>
        await (await workspace.Owner.Client.PostJsonAsync("/api/v1/contact-attributes", body)).ReadAsync<JsonElement>(HttpStatusCode.Created);

    private static StringContent Csv(string body) => new(body, Encoding.UTF8, "text/csv");
}
