using Npgsql;
using OneInbox.TestFakes;

namespace OneInbox.IntegrationTests.Infrastructure;

/// <summary>
/// A test of real server processes (<see cref="ServerProcess"/>) on a database and a data folder of its own, with a
/// fake Telegram Bot API; all three are removed after it.
/// </summary>
public abstract class ProcessTest(string name) : IAsyncLifetime
{
    protected string DataPath { get; } = Directory.CreateTempSubdirectory($"oneinbox-{name}-").FullName;

    protected string Database { get; private set; } = string.Empty;

    protected FakeTelegramBotApi Telegram { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("oneinbox_" + name);
        Telegram = await FakeTelegramBotApi.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Telegram.DisposeAsync();
        await TestDatabase.DropAsync(Database);
        Directory.Delete(DataPath, recursive: true);
    }

    /// <summary>One number from the test's database.</summary>
    protected Task<long> CountAsync(string sql) => ScalarAsync<long>(sql);

    /// <summary>One value from the test's database.</summary>
    protected async Task<T> ScalarAsync<T>(string sql)
    {
        await using var db = new NpgsqlConnection(Database);
        await db.OpenAsync();
        return (T)(await new NpgsqlCommand(sql, db).ExecuteScalarAsync())!;
    }

    protected static Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitAsync(() => Task.FromResult(condition()), what, timeout);

    protected static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
                throw new TimeoutException("Waited in vain for " + what);
            await Task.Delay(20);
        }
    }
}
