using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OneInbox.Infrastructure;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>
/// A young table is planned from PostgreSQL's defaults until its first statistics are taken; the server takes them
/// itself, so a lookup by id stops reading a whole workspace within seconds (ADR 0018).
/// Autovacuum is off on the test's table: what is measured is what the server does, not what autovacuum did meanwhile.
/// </summary>
public sealed class TableStatisticsTests : IAsyncLifetime
{
    private static readonly Guid Workspace = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private string _connectionString = string.Empty;
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync("oneinbox_stats");
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        await ExecuteAsync("""
            CREATE TABLE "Rows" ("Id" uuid PRIMARY KEY, "WorkspaceId" uuid NOT NULL, "Status" integer NOT NULL, "Body" text NOT NULL)
                WITH (autovacuum_enabled = false);
            CREATE INDEX "IX_Rows_WorkspaceId" ON "Rows" ("WorkspaceId");
            CREATE TABLE "Small" ("Id" integer PRIMARY KEY) WITH (autovacuum_enabled = false);
            """);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
            await _dataSource.DisposeAsync();
        await TestDatabase.DropAsync(_connectionString);
    }

    [Fact]
    public async Task A_young_table_is_analyzed_once_and_a_lookup_by_id_then_uses_its_primary_key()
    {
        var statistics = new TableStatistics(_dataSource!, Lock(), TimeProvider.System, NullLogger<TableStatistics>.Instance);
        await InsertRowsAsync(20_000);
        await ExecuteAsync("INSERT INTO \"Small\" SELECT generate_series(1, 500)");
        await WaitForChangesAsync("Rows", 20_000);
        await WaitForChangesAsync("Small", 500);

        // Never analyzed: the planner guesses that the one workspace holds half a percent of the rows.
        Assert.True(await EstimatedRowsAsync($"SELECT * FROM \"Rows\" WHERE \"WorkspaceId\" = '{Workspace}'") < 1_000);

        // The small table is left alone: any plan reads it quickly.
        Assert.Equal(new[] { "Rows" }, await statistics.AnalyzeYoungTablesAsync(default));

        Assert.True(await EstimatedRowsAsync($"SELECT * FROM \"Rows\" WHERE \"WorkspaceId\" = '{Workspace}'") > 15_000);
        var ids = string.Join(',', await IdsAsync(5));
        var lookup = await PlanAsync($"SELECT * FROM \"Rows\" WHERE \"WorkspaceId\" = '{Workspace}' AND \"Id\" = ANY ('{{{ids}}}'::uuid[]) AND \"Status\" = 0");
        Assert.Contains("Rows_pkey", lookup, StringComparison.Ordinal);
        Assert.DoesNotContain("IX_Rows_WorkspaceId", lookup, StringComparison.Ordinal);

        // Once is enough: a table that grows on is planned from the same statistics scaled to its size (the
        // workspace's share of the rows stays what it was), and later statistics are autovacuum's.
        Assert.Empty(await statistics.AnalyzeYoungTablesAsync(default));
        await InsertRowsAsync(25_000);
        await WaitForChangesAsync("Rows", 25_000);
        Assert.Empty(await statistics.AnalyzeYoungTablesAsync(default));
        Assert.True(await EstimatedRowsAsync($"SELECT * FROM \"Rows\" WHERE \"WorkspaceId\" = '{Workspace}'") > 35_000);
    }

    private ClusterLock Lock() => new(new StorageSettings(DatabaseProvider.Postgres, Path.GetTempPath()),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _connectionString }).Build());

    private Task InsertRowsAsync(int count) => ExecuteAsync($"""
        INSERT INTO "Rows" SELECT gen_random_uuid(), '{Workspace}', CASE WHEN i % 100 = 0 THEN 0 ELSE 1 END, repeat('x', 200)
        FROM generate_series(1, {count}) AS i
        """);

    /// <summary>Each backend reports its changes to the statistics views when it goes idle, a moment after its commit.</summary>
    private async Task WaitForChangesAsync(string table, long atLeast)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var command = _dataSource!.CreateCommand(
                $"SELECT coalesce((SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = '{table}'), 0)");
            if ((long)(await command.ExecuteScalarAsync())! >= atLeast)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The statistics views never showed {atLeast} changes to {table}.");
    }

    private async Task<double> EstimatedRowsAsync(string query)
    {
        var plan = JsonDocument.Parse(await PlanAsync(query, json: true));
        return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    private async Task<string> PlanAsync(string query, bool json = false)
    {
        await using var command = _dataSource!.CreateCommand($"EXPLAIN {(json ? "(FORMAT JSON) " : "")}{query}");
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    private async Task<List<Guid>> IdsAsync(int count)
    {
        await using var command = _dataSource!.CreateCommand($"SELECT \"Id\" FROM \"Rows\" WHERE \"Status\" = 0 LIMIT {count}");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    private async Task ExecuteAsync(string sql)
    {
        // A connection of its own, closed at once: its backend reports the changes as it ends.
        await using var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
