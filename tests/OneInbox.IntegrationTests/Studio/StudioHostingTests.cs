using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Studio;

/// <summary>
/// The WebApi serving a Studio build: a small stand-in build in a folder of its own, so these tests do not
/// depend on Node.js having run.
/// </summary>
public sealed class StudioHostingTests(OneInboxApp app) : ApiTest(app)
{
    private const string IndexHtml = "<!doctype html><html><body><div id=\"root\"></div><script type=\"module\" src=\"/studio/assets/index-abc123.js\"></script></body></html>";

    private string _build = string.Empty;
    private WebApplicationFactory<Program>? _studio;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _build = Directory.CreateTempSubdirectory("oneinbox-studio-").FullName;
        Directory.CreateDirectory(Path.Combine(_build, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_build, "index.html"), IndexHtml);
        await File.WriteAllTextAsync(Path.Combine(_build, "assets", "index-abc123.js"), "console.log('studio');");
        _studio = App.WithWebHostBuilder(b => b.UseSetting("OneInbox:StudioPath", _build));
    }

    public override async Task DisposeAsync()
    {
        if (_studio is not null)
            await _studio.DisposeAsync();
        Directory.Delete(_build, recursive: true);
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_studio_is_served_at_its_root()
    {
        var response = await _studio!.CreateClient().GetAsync("/studio/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"root\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/studio")]
    [InlineData("/studio/flows/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("/studio/callback?code=abc&state=xyz")]
    [InlineData("/studio/instances/42")]
    public async Task A_deep_link_into_the_studio_answers_with_the_app(string path)
    {
        var response = await _studio!.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(IndexHtml, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Hashed_assets_are_served_and_cached_for_good()
    {
        var response = await _studio!.CreateClient().GetAsync("/studio/assets/index-abc123.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("console.log('studio');", await response.Content.ReadAsStringAsync());
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_asset_is_not_answered_with_the_app()
    {
        var response = await _studio!.CreateClient().GetAsync("/studio/assets/gone-999.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_build_the_studio_explains_how_to_get_one()
    {
        await using var unbuilt = App.WithWebHostBuilder(b => b.UseSetting("OneInbox:StudioPath", Path.Combine(_build, "nothing-here")));

        var problem = await (await unbuilt.CreateClient().GetAsync("/studio/")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        Assert.Equal("The Studio has not been built.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_privacy_policy_is_a_readable_page()
    {
        var response = await App.CreateClient().GetAsync("/privacy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Privacy Policy</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>8. Cookie Policy</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>2.1 Information You Provide</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<li>Account Information: Name, email address", html, StringComparison.Ordinal);
    }
}
