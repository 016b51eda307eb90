using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>
/// A host of the real server that runs the channel workers (the shared one does not), with fast retries,
/// loopback allowed for the fakes, and the inbox's handlers recorded; plus a fake Telegram Bot API.
/// </summary>
public abstract class ChannelTest(OneInboxApp app) : ApiTest(app)
{
    public const string PublicBaseUrl = "https://oneinbox.test/";

    private readonly List<WebApplicationFactory<Program>> _hosts = [];

    protected FakeTelegramBotApi Telegram { get; private set; } = null!;

    protected InboxRecorder Inbox { get; } = new();

    protected WebApplicationFactory<Program> Host { get; set; } = null!;

    protected TestWorkspace Workspace { get; private set; } = null!;

    /// <summary>The workspace owner's client against the worker host.</summary>
    protected HttpClient Admin { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Telegram = await FakeTelegramBotApi.StartAsync();
        Host = StartHost(ConfigureHost);
        Workspace = await App.CreateWorkspaceAsync("Acme");
        Admin = ClientFor(Workspace.Owner.Token.AccessToken);
    }

    /// <summary>Settings a test class adds to its worker host.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder host)
    {
    }

    /// <summary>
    /// A worker host on the shared database (another one simulates a restart or a second node). Every host a test
    /// starts is disposed after it, whatever happened: a host left running would claim the next tests' work.
    /// </summary>
    protected WebApplicationFactory<Program> StartHost(Action<IWebHostBuilder>? configure = null)
    {
        var started = App.WithWebHostBuilder(host =>
        {
            host.UseSetting("OneInbox:Channels:RunWorkers", "true");
            host.UseSetting("OneInbox:Channels:PublicBaseUrl", PublicBaseUrl);
            host.UseSetting("OneInbox:Channels:FirstRetryDelay", "00:00:00.100");
            host.UseSetting("OneInbox:Channels:MaxRetryDelay", "00:00:00.400");
            host.UseSetting("OneInbox:Channels:MaxAttempts", "4");
            host.UseSetting("OneInbox:Channels:IdleDelay", "00:00:00.050");
            host.UseSetting("OneInbox:Channels:PollTimeoutSeconds", "1");
            host.UseSetting("OneInbox:Channels:TelegramPerChatInterval", "00:00:00.010");
            host.UseSetting("OneInbox:Outbound:AllowLoopback", "true");
            host.ConfigureTestServices(services =>
            {
                services.AddSingleton(Inbox);
                services.AddScoped<ISender>(sp => new RecordingSender((ISender)sp.GetRequiredService<IMediator>(), Inbox));
            });
            configure?.Invoke(host);
        });
        _hosts.Add(started);
        return started;
    }

    public override async Task DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        await Telegram.DisposeAsync();
        await base.DisposeAsync();
    }

    protected HttpClient ClientFor(string accessToken)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    protected async Task<Created> CreateTelegramAsync(string mode = "webhook", HttpClient? client = null)
    {
        var response = await (client ?? Admin).PostJsonAsync("/api/v1/channels", new
        {
            type = "telegram",
            name = "Support bot",
            botToken = Telegram.Token,
            mode,
            baseUrl = Telegram.BaseUrl.ToString(),
        });
        return await response.ReadAsync<Created>(System.Net.HttpStatusCode.Created);
    }

    protected async Task<HttpResponseMessage> PostUpdateAsync(Guid connectionId, string update, string? secret)
    {
        using var request = UpdateRequest(connectionId, update, secret);
        return await Host.CreateClient().SendAsync(request);
    }

    /// <summary>A Telegram update as Telegram posts it to the connection's webhook (query: anything added to its URL).</summary>
    protected static HttpRequestMessage UpdateRequest(Guid connectionId, string update, string? secret, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connectionId}{query}")
        {
            Content = new StringContent(update, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return request;
    }

    /// <summary>What the inbox does when an agent replies: an outbox row in the workspace, delivered by the dispatcher.</summary>
    protected async Task<Guid> QueueReplyAsync(Guid connectionId, OutboundMessage message)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Application.Common.WorkspaceContext>().Enter(Workspace.Id);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var row = OutboxMessage.Create(connectionId, message.MessageId, JsonSerializer.Serialize(message, JsonSerializerOptions.Web), TimeProvider.System);
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    protected async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    protected static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
                throw new TimeoutException("Waited in vain for " + what);
            await Task.Delay(50);
        }
    }

    public sealed record Created(Connection Connection, string? InboundUrl, string InboundSecret, string? SigningSecret);

    public sealed record Connection(Guid Id, string Type, string Name, string Mode, string? BaseUrl, string? CallbackUrl, Health Health);

    public sealed record Health(DateTimeOffset? LastInboundAt, DateTimeOffset? LastOutboundAt, string? LastError, int PendingOutbox, int FailedOutbox, int FailedEnvelopes);

    public sealed record Page<T>(T[] Items, string? NextCursor);

    public sealed record Envelope(Guid Id, string ProviderId, string Status, int Attempts, string? LastError);

    public sealed record Outbox(Guid Id, Guid MessageId, string Status, int Attempts, string? ProviderMessageId, string? LastError);
}
