using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using OneInbox.Domain.Identity;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

public class ContactApiTests(OneInboxApp app) : ApiTest(app)
{
    private sealed record Contact(Guid Id, string DisplayName, string[] PhoneNumbers, string[] Emails);

    private sealed record Page(Contact[] Items, string? NextCursor);

    [Fact]
    public async Task A_created_contact_can_be_read_back()
    {
        var client = await ClientAsync();

        var created = await client.PostJsonAsync("/api/v1/contacts",
            new { displayName = "Ann", phoneNumbers = new[] { "+1 415 555 0123" }, emails = new[] { "Ann@Example.com" } });
        var contact = await created.ReadAsync<Contact>(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/contacts/{contact.Id}", created.Headers.Location?.OriginalString);
        var read = await (await client.GetAsync($"/api/v1/contacts/{contact.Id}")).ReadAsync<Contact>();
        Assert.Equal("Ann", read.DisplayName);
        Assert.Equal(["+14155550123"], read.PhoneNumbers);
        Assert.Equal(["ann@example.com"], read.Emails);
    }

    [Fact]
    public async Task Listing_pages_through_every_contact_once_newest_first()
    {
        var client = await ClientAsync();
        for (var i = 0; i < 7; i++)
            await (await client.PostJsonAsync("/api/v1/contacts", new { displayName = $"Customer {i}" })).ReadAsync<Contact>(HttpStatusCode.Created);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var url = "/api/v1/contacts?limit=3" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await (await client.GetAsync(url)).ReadAsync<Page>();
            Assert.True(page.Items.Length <= 3);
            seen.AddRange(page.Items.Select(c => c.DisplayName));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"Customer {i}"), seen);
    }

    [Fact]
    public async Task Search_finds_a_contact_by_name_prefix_email_or_phone()
    {
        var client = await ClientAsync();
        await client.PostJsonAsync("/api/v1/contacts", new { displayName = "Berta Lind", phoneNumbers = new[] { "+4915112345678" }, emails = new[] { "berta@example.org" } });
        await client.PostJsonAsync("/api/v1/contacts", new { displayName = "Carl" });

        foreach (var term in new[] { "Ber", "berta@example.org", "+49 151 12345678" })
        {
            var page = await (await client.GetAsync($"/api/v1/contacts?search={Uri.EscapeDataString(term)}")).ReadAsync<Page>();
            Assert.Equal(["Berta Lind"], page.Items.Select(c => c.DisplayName));
        }
    }


    [Fact]
    public async Task A_name_search_lists_matches_in_name_order_and_pages_through_each_once()
    {
        var client = await ClientAsync();
        string[] names = ["mia Stone", "Mia Adams", "Miguel", "Mila Roth", "Mia adams", "Max", "Émile"];
        foreach (var name in names)
            await (await client.PostJsonAsync("/api/v1/contacts", new { displayName = name })).ReadAsync<Contact>(HttpStatusCode.Created);
        // The renamed contact is found under its new name only.
        var renamed = await (await client.PostJsonAsync("/api/v1/contacts", new { displayName = "Zed" })).ReadAsync<Contact>(HttpStatusCode.Created);
        (await client.PatchAsync($"/api/v1/contacts/{renamed.Id}", Json("{\"displayName\": \"Mick\"}"))).EnsureSuccessStatusCode();

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var url = "/api/v1/contacts?search=MI&limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await (await client.GetAsync(url)).ReadAsync<Page>();
            seen.AddRange(page.Items.Select(c => c.DisplayName));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // Case-insensitive prefix, ordered by the lower-cased name; equal names keep a stable order between pages.
        Assert.Equal(["mia adams", "mia adams", "mia stone", "mick", "miguel", "mila roth"], seen.Select(n => n.ToLowerInvariant()));
        Assert.Equal(2, seen.Count(n => n.Equals("mia adams", StringComparison.OrdinalIgnoreCase)));
    }
    [Fact]
    public async Task An_invalid_contact_gets_field_errors_and_stores_nothing()
    {
        var client = await ClientAsync();

        var response = await client.PostJsonAsync("/api/v1/contacts",
            new { displayName = "", phoneNumbers = new[] { "12345" }, emails = new[] { "not-an-email" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("displayName", out _));
        Assert.True(errors.TryGetProperty("phoneNumbers[0]", out _));
        Assert.True(errors.TryGetProperty("emails[0]", out _));
        Assert.Equal(0, await CountContactsAsync());
    }

    [Fact]
    public async Task Malformed_JSON_gets_400_saying_where_and_stores_nothing()
    {
        var client = await ClientAsync();

        var response = await client.PostAsync("/api/v1/contacts", Json("{\"displayName\": \"Ann\", "));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", problem.GetProperty("title").GetString());
        Assert.Equal(0, await CountContactsAsync());
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_gets_400_naming_the_field()
    {
        var client = await ClientAsync();

        var response = await client.PostAsync("/api/v1/contacts", Json("{\"displayName\": 42}"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("displayName", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await CountContactsAsync());
    }

    [Fact]
    public async Task A_field_the_operation_does_not_have_is_refused_not_ignored()
    {
        var client = await ClientAsync();

        var response = await client.PostAsync("/api/v1/contacts", Json("{\"displayName\": \"Ann\", \"workspaceId\": \"7f0c3c2e-8a3f-4c55-9d55-1a0b7e2b9e11\"}"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountContactsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_gets_415()
    {
        var client = await ClientAsync();

        var response = await client.PostAsync("/api/v1/contacts", new StringContent("displayName=Ann", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await CountContactsAsync());
    }

    [Fact]
    public async Task An_oversized_body_gets_413_and_stores_nothing()
    {
        var client = await ClientAsync();
        var huge = "{\"displayName\": \"" + new string('a', 2 * 1024 * 1024) + "\"}";

        var response = await client.PostAsync("/api/v1/contacts", Json(huge));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await CountContactsAsync());
    }

    [Fact]
    public async Task A_wrong_method_gets_405()
    {
        var client = await ClientAsync();

        var response = await client.PutAsync("/api/v1/contacts", Json("{}"));

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task An_unknown_contact_gets_404()
    {
        var client = await ClientAsync();

        var response = await client.GetAsync($"/api/v1/contacts/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cursor_the_API_did_not_issue_gets_400()
    {
        var client = await ClientAsync();

        var response = await client.GetAsync("/api/v1/contacts?cursor=%%%");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    private async Task<HttpClient> ClientAsync() => await (await App.CreateWorkspaceAsync()).ClientAsync(WorkspaceRole.Agent);

    private static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<long> CountContactsAsync()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM \"Contacts\"", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
