using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.ReplyMarkups;

namespace OneInbox.TestFakes;

/// <summary>The fake must behave like Telegram for the real client, or the tests built on it prove nothing.</summary>
public sealed class FakeTelegramBotApiTests : IAsyncLifetime
{
    private FakeTelegramBotApi _fake = null!;
    private TelegramBotClient _bot = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _fake = await FakeTelegramBotApi.StartAsync();
        _bot = new TelegramBotClient(new TelegramBotClientOptions(_fake.Token, _fake.BaseUrl.ToString()) { RetryThreshold = 0 }, _http);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task The_real_client_sends_a_message_with_an_inline_keyboard_and_the_fake_records_it()
    {
        var sent = await _bot.SendMessage(5550001111, "Choose a topic:",
            replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Talk to an agent", "menu:agent")));

        var call = Assert.Single(_fake.CallsTo("sendMessage"));
        Assert.Equal("Choose a topic:", call.Text("text"));
        Assert.Equal("menu:agent", call.Parameters["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>());
        Assert.Equal(5550001111, sent.Chat.Id);
    }

    [Fact]
    public async Task A_photo_given_by_url_is_recorded_with_the_url_in_the_photo_field_and_answered_as_a_photo_message()
    {
        var sent = await _bot.SendPhoto(5550001111, Telegram.Bot.Types.InputFile.FromUri("https://cdn.example.com/menu.jpg"), "Menu");

        var call = Assert.Single(_fake.CallsTo("sendPhoto"));
        Assert.Equal("https://cdn.example.com/menu.jpg", call.Text("photo"));
        Assert.Equal("Menu", call.Text("caption"));
        Assert.NotNull(sent.Photo);
        Assert.Equal("Menu", sent.Caption);
    }

    [Fact]
    public async Task A_media_send_without_a_file_is_refused_as_telegram_refuses_it()
    {
        using var response = await _http.PostAsync(new Uri(_fake.BaseUrl, $"/bot{_fake.Token}/sendDocument"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["chat_id"] = "5550001111", ["caption"] = "no file" }));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("there is no document", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scripted_429_reaches_the_client_with_its_retry_after()
    {
        _fake.RateLimitNext(1, retryAfterSeconds: 7);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(1, "hi"));

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal(7, error.Parameters?.RetryAfter);
        await _bot.SendMessage(1, "again");
        Assert.Equal(2, _fake.CallsTo("sendMessage").Count);
    }

    [Fact]
    public async Task Long_polling_returns_queued_updates_and_forgets_the_confirmed_ones()
    {
        _fake.EnqueueUpdate("""{"update_id": 10, "message": {"message_id": 1, "date": 1767225600, "chat": {"id": 5, "type": "private"}, "text": "a"}}""");
        _fake.EnqueueUpdate("""{"update_id": 11, "message": {"message_id": 2, "date": 1767225601, "chat": {"id": 5, "type": "private"}, "text": "b"}}""");

        var first = await _bot.GetUpdates(timeout: 1);
        var afterConfirming = await _bot.GetUpdates(offset: 11, timeout: 1);

        Assert.Equal([10, 11], first.Select(u => u.Id));
        Assert.Equal([11], afterConfirming.Select(u => u.Id));
        Assert.Equal("b", afterConfirming[0].Message!.Text);
    }

    [Fact]
    public async Task Files_are_served_through_getFile_and_the_download_path()
    {
        _fake.AddFile("file-1", [1, 2, 3], "photos/file-1.jpg");

        using var downloaded = new MemoryStream();
        var info = await _bot.GetFile("file-1");
        await _bot.DownloadFile(info.FilePath!, downloaded);

        Assert.Equal([1, 2, 3], downloaded.ToArray());
    }

    [Fact]
    public async Task While_a_webhook_is_set_getUpdates_is_refused_as_Telegram_does()
    {
        await _bot.SetWebhook("https://example.com/hook", secretToken: "s3cret");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.GetUpdates());

        Assert.Equal(409, error.ErrorCode);
        Assert.Equal("s3cret", _fake.WebhookSecret);
    }
}
