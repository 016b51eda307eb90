using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneInbox.Application.Identity;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.BrowserTests.Infrastructure;

/// <summary>A user of a test workspace who signs in through the server's sign-in page.</summary>
public sealed record StudioUser(Guid UserId, string Email, string DisplayName, Guid WorkspaceId, string WorkspaceName, WorkspaceRole Role);

/// <summary>
/// The real WebApi on Kestrel (PostgreSQL, the real identity server and flows API, the Studio as built into
/// wwwroot/studio) and Debian's Chromium driven by Playwright. Playwright's own browser download cannot work
/// here, so the browser is launched by path.
/// </summary>
public sealed class StudioServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Password = "correct horse battery staple";

    private IPlaywright? _playwright;
    private string _connectionString = string.Empty;

    // The port is chosen before the host starts: the Studio's redirect URI must be registered with the
    // identity server at start-up, and it names the origin the browser uses.
    private readonly int _port = FreeLoopbackPort();

    public string DataPath { get; } = Directory.CreateTempSubdirectory("oneinbox-browser-").FullName;

    public Uri Address => new($"http://127.0.0.1:{_port}");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots of the key screens, kept as test artifacts.</summary>
    public static string ArtifactsPath { get; } = Path.Combine(FindRepositoryRoot(), "artifacts", "browser-tests");

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync("oneinbox_browser");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        StartServer();
        Directory.CreateDirectory(ArtifactsPath);
        // Expectations wait at most this long; while the integration tests share the two cores, a sign-in's
        // token exchange has taken longer than Playwright's 5 s default. An upper bound, not a timing.
        Assertions.SetDefaultExpectTimeout(30_000);

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

    /// <summary>A new user who founds a workspace of their own (as its owner), the way sign-up does.</summary>
    public async Task<StudioUser> CreateOwnerAsync(string workspaceName = "Acme", string displayName = "Ada Admin")
    {
        var email = $"owner-{Guid.NewGuid():N}@example.test";
        await using var scope = Services.CreateAsyncScope();
        var account = await NewAccountAsync(scope.ServiceProvider, email, displayName);
        var workspace = await scope.ServiceProvider.GetRequiredService<WorkspaceFounder>().FoundAsync(workspaceName, account, CancellationToken.None);
        return new StudioUser(account.Id, email, displayName, workspace.Id, workspaceName, WorkspaceRole.Owner);
    }

    /// <summary>A new user admitted to an existing workspace with the role.</summary>
    public async Task<StudioUser> AddMemberAsync(Guid workspaceId, string workspaceName, WorkspaceRole role, string displayName)
    {
        var email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        await using var scope = Services.CreateAsyncScope();
        var account = await NewAccountAsync(scope.ServiceProvider, email, displayName);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        db.Members.Add(WorkspaceMember.Admit(workspaceId, account.Id, role, account.DisplayName, email, TimeProvider.System));
        await db.SaveChangesAsync();
        return new StudioUser(account.Id, email, displayName, workspaceId, workspaceName, role);
    }

    /// <summary>An account as sign-up or an accepted invitation leaves it: 18 or older confirmed, the current policy accepted.</summary>
    private static async Task<UserAccount> NewAccountAsync(IServiceProvider services, string email, string displayName)
    {
        var accounts = services.GetRequiredService<IUserAccounts>();
        var account = await accounts.CreateAsync(email, Password, displayName, platformAdmin: false, "password", CancellationToken.None);
        await accounts.RecordTermsAsync(account.Id, adultConfirmed: true, services.GetRequiredService<IPrivacyPolicyTerms>().Current.Version, CancellationToken.None);
        return account;
    }

    /// <summary>An existing user joins another workspace with the role.</summary>
    public async Task AdmitAsync(Guid workspaceId, StudioUser user, WorkspaceRole role)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        db.Members.Add(WorkspaceMember.Admit(workspaceId, user.UserId, role, user.DisplayName, user.Email, TimeProvider.System));
        await db.SaveChangesAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", _connectionString);
        builder.UseSetting("OneInbox:DataPath", DataPath);
        builder.UseSetting("OneInbox:Identity:StudioRedirectUris:0", $"{Address.ToString().TrimEnd('/')}/studio/callback");
        builder.UseSetting("OneInbox:Identity:StudioPostLogoutRedirectUris:0", $"{Address.ToString().TrimEnd('/')}/studio/");
        // Every test signs in from 127.0.0.1; the production limits would throttle the suite, not an attacker.
        builder.UseSetting("OneInbox:Identity:TokenRequestsPerMinutePerIp", "10000");
        builder.UseSetting("OneInbox:Identity:TokenRequestsPerMinutePerUser", "10000");
        // The Telegram fake listens on loopback, which the outbound guard refuses in production.
        builder.UseSetting("OneInbox:Outbound:AllowLoopback", "true");
        builder.UseSetting("OneInbox:Channels:PublicBaseUrl", Address.ToString());
        builder.UseSetting("OneInbox:Channels:PollTimeoutSeconds", "1");
        builder.UseSetting("OneInbox:Privacy:ExportIntervalSeconds", "0.5");
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
