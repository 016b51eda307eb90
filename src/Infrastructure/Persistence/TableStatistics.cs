using Microsoft.Extensions.Logging;
using Npgsql;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// Gives PostgreSQL its first statistics of a young table: every few seconds, one node (a cluster lock) analyzes each
/// table of ours that was never analyzed and has changed at least 1,000 rows. Until then a table is planned from
/// defaults that guess a workspace holds 0.5 % of the rows, and a lookup by id reads the whole workspace through its
/// tenant index; autovacuum takes those first statistics only when it visits the database, once a minute at best.
/// Later statistics are autovacuum's: the planner scales them with the table's size (ADR 0018).
/// </summary>
internal sealed partial class TableStatistics(NpgsqlDataSource dataSource, ClusterLock cluster, TimeProvider clock, ILogger<TableStatistics> logger)
    : PeriodicWorker(clock, logger)
{
    /// <summary>Below this many changed rows a table is small enough for any plan.</summary>
    internal const long MinimumChanges = 1000;

    private const string LockName = "table-statistics";

    private const string NeverAnalyzed = """
        SELECT relname, n_mod_since_analyze
        FROM pg_stat_user_tables
        WHERE schemaname = current_schema() AND last_analyze IS NULL AND last_autoanalyze IS NULL AND n_mod_since_analyze >= $1
        ORDER BY n_mod_since_analyze DESC
        """;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(10);

    protected internal override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await cluster.TryAcquireAsync(LockName, TimeSpan.Zero, cancellationToken);
        if (held is not null)
            await AnalyzeYoungTablesAsync(cancellationToken);
        return false;
    }

    /// <returns>The tables analyzed.</returns>
    internal async Task<IReadOnlyList<string>> AnalyzeYoungTablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var young = new List<(string Table, long Changes)>();
        await using (var find = new NpgsqlCommand(NeverAnalyzed, connection) { Parameters = { new() { Value = MinimumChanges } } })
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                young.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        var analyzed = new List<string>();
        foreach (var (table, changes) in young)
        {
            // Autovacuum may be analyzing it right now (it holds the lock): then it is seen to, skip it rather than queue.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var analyze = new NpgsqlCommand(
                $"SET LOCAL lock_timeout = '1s'; ANALYZE \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection, transaction);
            try
            {
                await analyze.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                analyzed.Add(table);
                LogAnalyzed(table, changes);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }
        return analyzed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analyzed {Table} after {Changes} changed rows")]
    private partial void LogAnalyzed(string table, long changes);
}
