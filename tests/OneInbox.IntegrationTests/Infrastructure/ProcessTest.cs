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

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("oneinbox_" + name);
        Telegram = await FakeTelegramBotApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Telegram.DisposeAsync();
        await TestDatabase.DropAsync(Database);
        Directory.Delete(DataPath, recursive: true);
    }
}
