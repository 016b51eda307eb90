using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>The laptop setup: no connection string, so the server keeps its data in SQLite under the data folder.</summary>
public sealed class EmbeddedDefaultTests : IDisposable
{
    private readonly string _dataPath = Directory.CreateTempSubdirectory("oneinbox-sqlite-").FullName;

    [Fact]
    public async Task With_no_connection_string_the_server_starts_on_SQLite_in_the_data_folder()
    {
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Testing");
            host.UseSetting("ConnectionStrings:Postgres", "");
            host.UseSetting("OneInbox:DataPath", _dataPath);
        });
        var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var openApi = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.True(File.Exists(Path.Combine(_dataPath, "oneinbox.db")));
    }

    public void Dispose() => Directory.Delete(_dataPath, recursive: true);
}
