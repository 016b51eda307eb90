namespace OneInbox.IntegrationTests.Infrastructure;

/// <summary>The Redis server that test.sh started (or the one named by ONEINBOX_TEST_REDIS). Without it cluster tests fail.</summary>
public static class TestRedis
{
    public const string Variable = "ONEINBOX_TEST_REDIS";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the suite with ./test.sh, which starts Redis, or set it to a server's address (host:port).");
}
