using Microsoft.Extensions.Logging;
using Npgsql;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// Keeps PostgreSQL's planner statistics up with a table that is still growing fast: every few seconds, one node (a
/// cluster lock) analyzes each table of ours that changed at least half as many rows as it holds since it was last
/// analyzed, so at most once per doubling. Autovacuum does the same only once a minute per database and by 10 % of the
/// rows: until then a young table (a new deployment's first minutes) is planned from defaults that guess a workspace
/// holds 0.5 % of the rows, and a lookup by id scans the whole workspace through its tenant index instead (ADR 0018).
/// </summary>
internal sealed partial class TableStatistics(NpgsqlDataSource dataSource, ClusterLock cluster, TimeProvider clock, ILogger<TableStatistics> logger)
    : PeriodicWorker(clock, logger)
{
    /// <summary>Below this many changed rows a table's statistics are left to autovacuum.</summary>
    internal const long MinimumChanges = 1000;

    private const string LockName = "table-statistics";

    private const string Outgrown = """
        SELECT relname, n_mod_since_analyze
        FROM pg_stat_user_tables
        WHERE schemaname = current_schema() AND n_mod_since_analyze >= GREATEST($1, n_live_tup / 2)
        ORDER BY n_mod_since_analyze DESC
        """;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(10);

    protected internal override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await cluster.TryAcquireAsync(LockName, TimeSpan.Zero, cancellationToken);
        if (held is not null)
            await AnalyzeOutgrownAsync(cancellationToken);
        return false;
    }

    /// <returns>The tables analyzed.</returns>
    internal async Task<IReadOnlyList<string>> AnalyzeOutgrownAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var outgrown = new List<(string Table, long Changes)>();
        await using (var find = new NpgsqlCommand(Outgrown, connection) { Parameters = { new() { Value = MinimumChanges } } })
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                outgrown.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        var analyzed = new List<string>();
        foreach (var (table, changes) in outgrown)
        {
            // A running autovacuum or VACUUM holds the table's statistics lock: skip it this round rather than queue.
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
