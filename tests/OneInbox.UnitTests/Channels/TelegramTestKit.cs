using OneInbox.Application.Attachments;
using OneInbox.Application.Channels;
using OneInbox.Infrastructure.Attachments;
using OneInbox.Infrastructure;
using OneInbox.Infrastructure.Channels;
using OneInbox.Infrastructure.Channels.Telegram;
using OneInbox.Infrastructure.Persistence;
using OneInbox.TestFakes;

namespace OneInbox.UnitTests.Channels;

/// <summary>The real Telegram adapters wired to the loopback fake and a throwaway attachment folder.</summary>
public abstract class TelegramTestKit : IAsyncLifetime
{
    protected FakeTelegramBotApi Fake { get; private set; } = null!;

    protected string DataPath { get; } = Directory.CreateTempSubdirectory("oneinbox-tg-").FullName;

    internal TelegramClients Clients { get; } = new(new PlainHttpClients());

    internal IAttachmentStore Attachments { get; private set; } = null!;

    protected ChannelEndpoint Endpoint => new(Guid.NewGuid(), Fake.BaseUrl, new Dictionary<string, string> { [ChannelCredentials.BotToken] = Fake.Token });

    public async Task InitializeAsync()
    {
        Fake = await FakeTelegramBotApi.StartAsync();
        Attachments = new LocalAttachmentStore(new StorageSettings(DatabaseProvider.Sqlite, DataPath), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await Fake.DisposeAsync();
        Directory.Delete(DataPath, recursive: true);
    }

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
