using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.BrowserTests.Infrastructure;

/// <summary>
/// The real WebApi on Kestrel (PostgreSQL, the Studio as built into wwwroot/studio) and Debian's Chromium
/// driven by Playwright. Playwright's own browser download cannot work here, so the browser is launched by path.
/// </summary>
public sealed class StudioServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private string _connectionString = string.Empty;

    public string DataPath { get; } = Directory.CreateTempSubdirectory("oneinbox-browser-").FullName;

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots of the key screens, kept as test artifacts.</summary>
    public static string ArtifactsPath { get; } = Path.Combine(FindRepositoryRoot(), "artifacts", "browser-tests");

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync("oneinbox_browser");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Address = new Uri(addresses.First());
        Directory.CreateDirectory(ArtifactsPath);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IBrowserContext> NewContextAsync() => await Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Address.ToString().TrimEnd('/'),
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        AcceptDownloads = true,
    });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", _connectionString);
        builder.UseSetting("OneInbox:DataPath", DataPath);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
        await TestDatabase.DropAsync(_connectionString);
        Directory.Delete(DataPath, recursive: true);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OneInbox.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<StudioServer>
{
    public const string Name = "browser";
}
