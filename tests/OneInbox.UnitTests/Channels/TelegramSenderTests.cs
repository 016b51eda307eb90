using System.Text;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Telegram;

namespace OneInbox.UnitTests.Channels;

public sealed class TelegramSenderTests : TelegramTestKit
{
    [Fact]
    public async Task Buttons_become_an_inline_keyboard_whose_callback_data_is_the_payload()
    {
        var outcome = await SendAsync(new OutboundMessage(Guid.NewGuid(), "5550001111", MessageKind.Text, "Choose a topic:",
            [new OutboundButton("Order status", "menu:order_status"), new OutboundButton("Talk to an agent", "menu:agent")], []));

        var sent = Assert.IsType<SendOutcome.Sent>(outcome);
        var call = Assert.Single(Fake.CallsTo("sendMessage"));
        Assert.Equal("Choose a topic:", call.Text("text"));
        var keyboard = call.Parameters["reply_markup"]!["inline_keyboard"]!.AsArray();
        Assert.Equal(["menu:order_status", "menu:agent"], keyboard.Select(row => row![0]!["callback_data"]!.GetValue<string>()));
        Assert.StartsWith("5550001111:", sent.ProviderMessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_photo_reply_is_uploaded_from_attachment_storage_with_the_text_as_caption()
    {
        var key = (await Attachments.SaveAsync(Guid.NewGuid(), new MemoryStream([9, 8, 7]), 1024, CancellationToken.None)).StorageKey;

        var outcome = await SendAsync(new OutboundMessage(Guid.NewGuid(), "42", MessageKind.Image, "Here is your label",
            [], [new OutboundAttachment(MessageKind.Image, key, "box.jpg", "image/jpeg")]));

        Assert.IsType<SendOutcome.Sent>(outcome);
        var call = Assert.Single(Fake.CallsTo("sendPhoto"));
        Assert.Equal("Here is your label", call.Text("caption"));
        Assert.Equal([9, 8, 7], call.Files["photo"].Content);
        Assert.Empty(Fake.CallsTo("sendMessage"));
    }

    [Fact]
    public async Task Media_given_by_url_is_sent_natively_with_the_url_as_the_file_and_the_text_as_caption()
    {
        var outcome = await SendAsync(new OutboundMessage(Guid.NewGuid(), "42", MessageKind.Image, "Today's menu",
            [new OutboundButton("Order", "order")], [new OutboundAttachment(MessageKind.Image, null, "menu.jpg", "application/octet-stream", "https://cdn.example.com/menu.jpg")]));

        Assert.IsType<SendOutcome.Sent>(outcome);
        var call = Assert.Single(Fake.CallsTo("sendPhoto"));
        Assert.Equal("https://cdn.example.com/menu.jpg", call.Text("photo"));
        Assert.Empty(call.Files);
        Assert.Equal("Today's menu", call.Text("caption"));
        Assert.Equal("order", call.Parameters["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>());
        Assert.Empty(Fake.CallsTo("sendMessage"));
    }

    [Theory]
    [InlineData(MessageKind.Video, "sendVideo", "video")]
    [InlineData(MessageKind.Audio, "sendAudio", "audio")]
    [InlineData(MessageKind.Document, "sendDocument", "document")]
    public async Task Each_media_kind_given_by_url_goes_through_its_own_bot_api_method(MessageKind kind, string method, string field)
    {
        await SendAsync(new OutboundMessage(Guid.NewGuid(), "42", kind, null, [], [new OutboundAttachment(kind, null, "file", "application/octet-stream", "https://cdn.example.com/file")]));

        Assert.Equal("https://cdn.example.com/file", Assert.Single(Fake.CallsTo(method)).Text(field));
    }

    [Fact]
    public async Task Text_longer_than_a_caption_follows_the_media_as_its_own_message_which_carries_the_buttons()
    {
        var text = new string('x', 1025);

        await SendAsync(new OutboundMessage(Guid.NewGuid(), "42", MessageKind.Image, text,
            [new OutboundButton("Order", "order")], [new OutboundAttachment(MessageKind.Image, null, "menu.jpg", "application/octet-stream", "https://cdn.example.com/menu.jpg")]));

        var photo = Assert.Single(Fake.CallsTo("sendPhoto"));
        Assert.Null(photo.Text("caption"));
        Assert.False(photo.Parameters.ContainsKey("reply_markup"));
        var message = Assert.Single(Fake.CallsTo("sendMessage"));
        Assert.Equal(text, message.Text("text"));
        Assert.True(message.Parameters.ContainsKey("reply_markup"));
        Assert.True(photo.At <= message.At);
    }

    [Fact]
    public async Task A_429_becomes_rate_limited_with_telegrams_retry_after()
    {
        Fake.RateLimitNext(1, retryAfterSeconds: 7);

        var outcome = await SendAsync(Text("hi"));

        Assert.Equal(TimeSpan.FromSeconds(7), Assert.IsType<SendOutcome.RateLimited>(outcome).RetryAfter);
    }

    [Fact]
    public async Task A_5xx_is_worth_retrying()
    {
        Fake.FailNext(1);

        Assert.IsType<SendOutcome.Transient>(await SendAsync(Text("hi")));
    }

    [Fact]
    public async Task A_customer_who_blocked_the_bot_fails_for_good_with_reason_blocked_by_user()
    {
        Fake.BlockNext(1);

        Assert.Equal("blocked_by_user", Assert.IsType<SendOutcome.Failed>(await SendAsync(Text("hi"))).ReasonCode);
    }

    [Fact]
    public async Task An_unknown_chat_fails_for_good_with_reason_chat_not_found()
    {
        Fake.ChatNotFoundNext(1);

        Assert.Equal("chat_not_found", Assert.IsType<SendOutcome.Failed>(await SendAsync(Text("hi"))).ReasonCode);
    }

    [Fact]
    public async Task An_unreachable_provider_is_worth_retrying()
    {
        var endpoint = Endpoint with { BaseUrl = new Uri("http://127.0.0.1:9") };

        var outcome = await new TelegramSender(Clients, Attachments).SendAsync(endpoint, Text("hi"), CancellationToken.None);

        Assert.IsType<SendOutcome.Transient>(outcome);
    }

    private static OutboundMessage Text(string text) => new(Guid.NewGuid(), "42", MessageKind.Text, text, [], []);

    private async Task<SendOutcome> SendAsync(OutboundMessage message) =>
        await new TelegramSender(Clients, Attachments).SendAsync(Endpoint, message, CancellationToken.None);
}
