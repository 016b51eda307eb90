using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Foundation;

/// <summary>An operator's first start on an empty PostgreSQL database, and the restart after it, log no error.</summary>
public sealed class FreshStartTests() : ProcessTest("fresh")
{
    [Fact]
    public async Task A_first_start_and_a_restart_on_postgres_log_no_error()
    {
        foreach (var start in new[] { "first start", "restart" })
        {
            using var node = ServerProcess.Start(Database, DataPath);
            await node.WaitReadyAsync();
            Assert.True(await CountAsync("SELECT count(*) FROM __ef_migrations_history") > 0, start);
            Assert.False(node.Output.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal), $"{start} logged an error:\n{node.Output}");
        }
    }
}
