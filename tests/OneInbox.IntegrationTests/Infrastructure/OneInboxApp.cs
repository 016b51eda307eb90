using OneInbox.Application.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.WebApi.Identity;
using Npgsql;
using Respawn;

namespace OneInbox.IntegrationTests.Infrastructure;

/// <summary>
/// The real server, in process, on a database of its own created from the migrations. Tests reset the data
/// between them with Respawn, keeping the schema.
/// </summary>
public class OneInboxApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private Respawner? _respawner;

    public string ConnectionString { get; private set; } = string.Empty;

    public string DataPath { get; } = Directory.CreateTempSubdirectory("oneinbox-test-").FullName;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("oneinbox_test");
        _ = Server; // starts the host, which applies the migrations
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__ef_migrations_history"],
        });
    }

    /// <summary>Empties every table, so each test starts from a fresh installation.</summary>
    public async Task ResetAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await _respawner!.ResetAsync(connection);
        }
        await using var scope = Services.CreateAsyncScope();
        await IdentityBootstrap.SeedClientsAsync(scope.ServiceProvider, CancellationToken.None);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        builder.UseSetting("OneInbox:DataPath", DataPath);
        builder.UseSetting("OneInbox:Identity:TokenRequestsPerMinutePerIp", "1000000");
        builder.UseSetting("OneInbox:Identity:TokenRequestsPerMinutePerUser", "1000000");
        // Channel workers would race the per-test reset; channel tests start a host of their own that runs them.
        builder.UseSetting("OneInbox:Channels:RunWorkers", "false");
        // With no workers nothing drains the inbound backlog, so webhooks are never held for it here (BackPressureTests
        // hold them on a server process of their own).
        builder.UseSetting("OneInbox:Channels:InboundBacklogLimit", "0");
        // Likewise the flow timer poller: timer tests fire timers themselves and count what fired.
        builder.UseSetting("OneInbox:Flows:RunWorkers", "false");
        // And the report compactor and backfill (a fold racing the reset deadlocks it; a backfill would count a test's
        // history behind its back): report tests fold and backfill themselves.
        builder.UseSetting("OneInbox:Reports:RunWorker", "false");
        builder.UseSetting("OneInbox:Identity:StudioRedirectUris:0", "http://localhost/studio/callback");
        builder.UseSetting("OneInbox:Identity:StudioPostLogoutRedirectUris:0", "http://localhost/studio/");
        builder.UseSetting("OneInbox:Inbox:SnoozePollSeconds", "1");
        ConfigureSettings(builder);
    }

    /// <summary>Lets a fixture for one concern (rate limits, say) change settings on a database of its own.</summary>
    protected virtual void ConfigureSettings(IWebHostBuilder builder)
    {
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
        Directory.Delete(DataPath, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<OneInboxApp>
{
    public const string Name = "api";
}

/// <summary>Base of the HTTP tests: a clean database before each test.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(OneInboxApp app) : IAsyncLifetime
{
    protected OneInboxApp App { get; } = app;

    public virtual async Task InitializeAsync() => await App.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A unit of work of the workspace, as a background worker opens one.</summary>
    protected AsyncServiceScope Scope(Guid workspaceId) => App.Services.GetRequiredService<IServiceScopeFactory>().CreateWorkspaceScope(workspaceId);
}
