using System.Diagnostics;
using System.Net;
using System.Text;
using OneInbox.Infrastructure.Channels.Discord;
using OneInbox.TestFakes;

namespace OneInbox.UnitTests.Channels.Discord;

/// <summary>The REST client against the fake's Discord surface: calls, bodies, rate limits, errors.</summary>
public sealed class DiscordRestClientTests : IAsyncLifetime
{
    private const string Channel = "1300000000000000200";
    private FakeDiscord _fake = null!;
    private readonly HttpClient _http = new();
    private DiscordRestClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscord.StartAsync();
        _client = new DiscordRestClient(_http, _fake.BaseUrl, FakeDiscord.DefaultToken, new DiscordRateLimits(), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _http.Dispose();
    }

    private static DiscordMessageDraft Text(string content) => new(content, [], []);

    [Fact]
    public async Task Users_me_and_gateway_bot_answer_with_the_bot_token_and_a_user_agent()
    {
        var me = await _client.GetCurrentUserAsync(CancellationToken.None);
        var gateway = await _client.GetGatewayBotAsync(CancellationToken.None);

        Assert.Equal(FakeDiscord.BotUserId, me.Id);
        Assert.True(me.Bot);
        Assert.StartsWith("ws://127.0.0.1", gateway.Url, StringComparison.Ordinal);
        Assert.Equal(1, gateway.SessionStartLimit!.MaxConcurrency);
        var call = _fake.Requests[0];
        Assert.Equal("Bot " + FakeDiscord.DefaultToken, call.Authorization);
        Assert.StartsWith("DiscordBot (", call.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_a_401_error()
    {
        var client = new DiscordRestClient(_http, _fake.BaseUrl, "nope", new DiscordRateLimits(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => client.GetCurrentUserAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
    }

    [Fact]
    public async Task Buttons_go_as_action_rows_of_five_with_the_payload_as_custom_id_and_no_pings()
    {
        var buttons = Enumerable.Range(1, 7).Select(i => new DiscordButton("Option " + i, "menu:" + i)).ToList();

        var created = await _client.CreateMessageAsync(Channel, new DiscordMessageDraft("Choose", buttons, [], ReplyToMessageId: "1300000000000005001"), CancellationToken.None);

        var sent = Assert.Single(_fake.SentMessages);
        Assert.Equal(created.Id, sent.Id);
        Assert.Equal(7, sent.Buttons.Count);
        Assert.Equal("menu:7", sent.Buttons[6].CustomId);
        var rows = sent.Payload["components"]!.AsArray();
        Assert.Equal([5, 2], rows.Select(r => r!["components"]!.AsArray().Count));
        Assert.Equal("1300000000000005001", sent.ReplyTo);
        Assert.Empty(sent.Payload["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task Files_go_as_multipart_with_payload_json()
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("%PDF-1.4 invoice"));

        await _client.CreateMessageAsync(Channel, new DiscordMessageDraft("Your invoice", [], [new DiscordFile("invoice.pdf", "application/pdf", content)]), CancellationToken.None);

        var sent = Assert.Single(_fake.SentMessages);
        Assert.Equal("Your invoice", sent.Content);
        var file = Assert.Single(sent.Files);
        Assert.Equal("files[0]", file.Field);
        Assert.Equal("invoice.pdf", file.FileName);
        Assert.Equal("%PDF-1.4 invoice", Encoding.UTF8.GetString(file.Content));
    }

    [Fact]
    public async Task Opening_a_dm_returns_the_same_channel_each_time()
    {
        var first = await _client.OpenDirectMessageAsync("1300000000000000003", CancellationToken.None);
        var second = await _client.OpenDirectMessageAsync("1300000000000000003", CancellationToken.None);

        Assert.Equal(1, first.Type);
        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public async Task A_user_who_refuses_dms_answers_50007_and_missing_permissions_50013()
    {
        _fake.RefuseDirectMessagesFrom("1300000000000000004");
        var refused = await Assert.ThrowsAsync<DiscordApiException>(() => _client.OpenDirectMessageAsync("1300000000000000004", CancellationToken.None));
        _fake.ErrorNext(1, 403, 50013, "Missing Permissions");
        var forbidden = await Assert.ThrowsAsync<DiscordApiException>(() => _client.CreateMessageAsync(Channel, Text("hi"), CancellationToken.None));

        Assert.Equal(50007, refused.Code);
        Assert.Equal(50013, forbidden.Code);
    }

    [Fact]
    public async Task A_short_429_is_waited_out_and_the_message_is_sent_once()
    {
        _fake.RateLimitNext(1, 0.5);
        var started = Stopwatch.GetTimestamp();

        await _client.CreateMessageAsync(Channel, Text("after the wait"), CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(450));
        Assert.Single(_fake.SentMessages);
        Assert.Equal(2, _fake.Requests.Count(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_long_429_goes_back_to_the_caller_with_retry_after()
    {
        _fake.RateLimitNext(1, 30);

        var limited = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => _client.CreateMessageAsync(Channel, Text("later"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(30), limited.RetryAfter);
        Assert.Empty(_fake.SentMessages);
    }

    [Fact]
    public async Task A_global_429_holds_requests_on_other_routes_too()
    {
        _fake.RateLimitNext(1, 0.6, global: true);
        var first = _client.CreateMessageAsync(Channel, Text("one"), CancellationToken.None);
        await Task.Delay(150);
        var started = Stopwatch.GetTimestamp();

        await _client.GetCurrentUserAsync(CancellationToken.None);
        await first;

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(300), "users/@me went out during the global pause");
    }

    [Fact]
    public async Task The_bucket_is_honoured_so_a_burst_to_one_channel_never_meets_a_429()
    {
        _fake.SetMessageBucket(limit: 3, resetAfter: TimeSpan.FromSeconds(1));

        for (var i = 0; i < 7; i++)
            await _client.CreateMessageAsync(Channel, Text("burst " + i), CancellationToken.None);

        Assert.Equal(7, _fake.SentMessages.Count);
        Assert.Equal(7, _fake.Requests.Count(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Answering_an_interaction_with_a_deferred_update_is_accepted_once()
    {
        _fake.RegisterInteraction("1300000000000000020");

        await _client.RespondToInteractionAsync("1300000000000000020", "tok", 6, CancellationToken.None);
        var second = await Assert.ThrowsAsync<DiscordApiException>(() => _client.RespondToInteractionAsync("1300000000000000020", "tok", 6, CancellationToken.None));

        Assert.Equal(("1300000000000000020", 6), Assert.Single(_fake.InteractionCallbacks));
        Assert.Equal(10062, second.Code);
    }
}
