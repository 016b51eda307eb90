using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

public class HostTests(OneInboxApp app) : ApiTest(app)
{
    [Fact]
    public async Task Readiness_checks_the_database_and_answers_healthy()
    {
        var response = await App.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_contacts_API()
    {
        var document = await App.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/contacts", out var contacts));
        Assert.True(contacts.TryGetProperty("post", out _));
        Assert.True(contacts.TryGetProperty("get", out _));
    }

    [Fact]
    public async Task The_API_reference_page_is_served()
    {
        var response = await App.CreateClient().GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task An_unknown_route_answers_404_problem_details()
    {
        var response = await App.CreateClient().GetAsync("/api/v1/no-such-thing");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
