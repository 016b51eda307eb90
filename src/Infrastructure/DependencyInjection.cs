using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OneInbox.Application.Common;
using OneInbox.Infrastructure.Channels;
using OneInbox.Infrastructure.Channels.Dispatching;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure;

public static class DependencyInjection
{
    public const string PostgresConnectionName = "Postgres";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<OneInboxOptions>().Bind(configuration.GetSection(OneInboxOptions.Section));
        var options = configuration.GetSection(OneInboxOptions.Section).Get<OneInboxOptions>() ?? new OneInboxOptions();
        var dataPath = Path.GetFullPath(options.DataPath, environment.ContentRootPath);

        var postgres = configuration.GetConnectionString(PostgresConnectionName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.AddSingleton(new StorageSettings(DatabaseProvider.Postgres, dataPath));
            // One pool for EF Core and the webhook writer, created and disposed by the container with the host.
            services.AddSingleton(_ => new NpgsqlDataSourceBuilder(Tuned(postgres)).Build());
            // Options are built once and contexts pooled, not made per unit of work: the background workers open
            // thousands of scopes a second (ADR 0024).
            services.AddDbContextPool<PostgresOneInboxDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql =>
                npgsql.MigrationsHistoryTable("__ef_migrations_history"))
                .ReplaceService<IModelCacheKeyFactory, CipherAwareModelCacheKeyFactory>()
                .AddInterceptors(sp.GetRequiredService<OutboxCommitted>()));
            services.AddScoped<OneInboxDbContext>(OneInboxDbContext.Lend<PostgresOneInboxDbContext>);
            services.AddSingleton<TableStatistics>();
            services.AddHostedService(sp => sp.GetRequiredService<TableStatistics>());
        }
        else
        {
            Directory.CreateDirectory(dataPath);
            var sqlite = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataPath, "oneinbox.db"),
                Cache = SqliteCacheMode.Shared,
                DefaultTimeout = 30,
            }.ToString();
            services.AddSingleton(new StorageSettings(DatabaseProvider.Sqlite, dataPath));
            services.AddDbContextPool<SqliteOneInboxDbContext>((sp, o) => o.UseSqlite(sqlite)
                .ReplaceService<IModelCacheKeyFactory, CipherAwareModelCacheKeyFactory>()
                .AddInterceptors(sp.GetRequiredService<OutboxCommitted>()));
            services.AddScoped<OneInboxDbContext>(OneInboxDbContext.Lend<SqliteOneInboxDbContext>);
        }

        var encryption = configuration.GetSection(EncryptionOptions.Section).Get<EncryptionOptions>() ?? new EncryptionOptions();
        services.AddSingleton(_ => FieldKeyRing.Load(encryption, dataPath));
        var contactKeyPath = configuration["OneInbox:Privacy:ContactKeyPath"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, environment.ContentRootPath)
            : Path.Combine(dataPath, "keys", ContactKeyStore.FolderName);
        services.AddSingleton(sp => new ContactKeyStore(sp.GetRequiredService<FieldKeyRing>(), contactKeyPath, sp.GetRequiredService<ICacheSignals>()));
        services.AddSingleton<IFieldCipher>(sp => new FieldCipher(sp.GetRequiredService<FieldKeyRing>(), sp.GetRequiredService<ContactKeyStore>()));

        services.AddSingleton<OutboxWorkSignal>();
        services.AddSingleton<OutboxCommitted>();
        services.AddScoped<IOneInboxDb>(sp => sp.GetRequiredService<OneInboxDbContext>());
        services.AddIdentityStores();
        services.AddSingleton<ClusterLock>();
        services.AddHostedService<DatabaseMigrator>();
        services.AddHostedService<Inbox.SnoozeAlarm>();
        services.AddHealthChecks().AddDbContextCheck<OneInboxDbContext>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Defaults for a server that runs the same few statements thousands of times a second, unless the connection
    /// string says otherwise: statements used repeatedly are prepared once per physical connection (PostgreSQL stops
    /// parsing and planning them), and a connection going back to the pool is not reset with DISCARD ALL, since
    /// nothing here leaves session state behind (advisory locks are taken on connections of their own).
    /// </summary>
    internal static string Tuned(string connectionString)
    {
        // The builder knows every keyword, so whether one was given is read from the string itself.
        var given = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2)[0].Replace(" ", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MaxAutoPrepare"))
            builder.MaxAutoPrepare = 100;
        if (!given.Contains("NoResetOnClose"))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }
}

/// <summary>Which database this installation uses, and its absolute data folder (keys, attachments, SQLite file).</summary>
public sealed record StorageSettings(DatabaseProvider Provider, string DataPath);
