using OneInbox.Application.Attachments;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Inbound;
using OneInbox.Infrastructure.Channels.Telegram;

namespace OneInbox.UnitTests.Channels;

public sealed class TelegramUpdateMapperTests : TelegramTestKit
{
    private static readonly Guid Workspace = Guid.NewGuid();

    private const string T1 = """
        { "update_id": 864201001,
          "message": {
            "message_id": 2041,
            "from": { "id": 5550001111, "is_bot": false, "first_name": "Maria", "last_name": "Lopez", "username": "maria_lopez", "language_code": "es" },
            "chat": { "id": 5550001111, "first_name": "Maria", "last_name": "Lopez", "username": "maria_lopez", "type": "private" },
            "date": 1767225600,
            "text": "Where is order #4711?",
            "entities": [ { "offset": 15, "length": 5, "type": "hashtag" } ],
            "reply_to_message": {
              "message_id": 2039,
              "from": { "id": 7000000001, "is_bot": true, "first_name": "Acme Support", "username": "acme_support_bot" },
              "chat": { "id": 5550001111, "first_name": "Maria", "last_name": "Lopez", "username": "maria_lopez", "type": "private" },
              "date": 1767225540,
              "text": "Hi Maria! How can we help?" } } }
        """;

    private const string T2 = """
        { "update_id": 864201002,
          "message": {
            "message_id": 2042,
            "from": { "id": 5550001111, "is_bot": false, "first_name": "Maria", "username": "maria_lopez", "language_code": "es" },
            "chat": { "id": 5550001111, "first_name": "Maria", "username": "maria_lopez", "type": "private" },
            "date": 1767225660,
            "media_group_id": "13912345678901234",
            "photo": [
              { "file_id": "AgACAgQAAxkBAAIH-mfakeSmallPhotoFileId0001", "file_unique_id": "AQADfake0001s", "file_size": 1532, "width": 90, "height": 68 },
              { "file_id": "AgACAgQAAxkBAAIH-mfakeLargePhotoFileId0001", "file_unique_id": "AQADfake0001y", "file_size": 131072, "width": 1280, "height": 960 } ],
            "caption": "Damaged box, order #4711" } }
        """;

    private const string T3 = """
        { "update_id": 864201003,
          "callback_query": {
            "id": "4382910077412345678",
            "from": { "id": 5550001111, "is_bot": false, "first_name": "Maria", "username": "maria_lopez", "language_code": "es" },
            "message": {
              "message_id": 2043,
              "from": { "id": 7000000001, "is_bot": true, "first_name": "Acme Support", "username": "acme_support_bot" },
              "chat": { "id": 5550001111, "first_name": "Maria", "username": "maria_lopez", "type": "private" },
              "date": 1767225700,
              "text": "Choose a topic:" },
            "chat_instance": "-8123456789012345678",
            "data": "menu:agent" } }
        """;

    [Fact]
    public async Task A_text_message_becomes_a_text_message_from_its_sender_in_its_chat()
    {
        var message = await MapAsync(T1);

        Assert.NotNull(message);
        Assert.Equal(MessageKind.Text, message.Kind);
        Assert.Equal("Where is order #4711?", message.Text);
        Assert.Equal("5550001111", message.ConversationKey);
        Assert.Equal("5550001111:2041", message.ProviderMessageId);
        Assert.Equal("Maria Lopez", message.Sender.DisplayName);
        Assert.Equal("maria_lopez", message.Sender.Username);
        Assert.Equal("es", message.Sender.Locale);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), message.SentAt);
    }

    [Fact]
    public async Task A_photo_is_downloaded_in_its_largest_size_into_attachment_storage()
    {
        Fake.AddFile("AgACAgQAAxkBAAIH-mfakeLargePhotoFileId0001", [0xFF, 0xD8, 0xFF, 0xE0], "photos/file_1.jpg");

        var message = await MapAsync(T2);

        Assert.NotNull(message);
        Assert.Equal(MessageKind.Image, message.Kind);
        Assert.Equal("Damaged box, order #4711", message.Text);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("AgACAgQAAxkBAAIH-mfakeLargePhotoFileId0001", attachment.ProviderFileId);
        await using var stored = await Attachments.OpenRequiredAsync(attachment.StorageKey!, CancellationToken.None);
        using var bytes = new MemoryStream();
        await stored.CopyToAsync(bytes);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0], bytes.ToArray());
    }

    [Fact]
    public async Task A_button_press_becomes_a_button_reply_and_is_answered_so_the_spinner_stops()
    {
        var message = await MapAsync(T3);

        Assert.NotNull(message);
        Assert.Equal(MessageKind.ButtonReply, message.Kind);
        Assert.Equal("menu:agent", message.ButtonPayload);
        Assert.Equal("5550001111", message.ConversationKey);
        var answer = Assert.Single(Fake.CallsTo("answerCallbackQuery"));
        Assert.Equal("4382910077412345678", answer.Text("callback_query_id"));
    }

    [Fact]
    public async Task An_edit_gets_its_own_id_and_points_at_the_message_it_replaces()
    {
        var message = await MapAsync("""
            { "update_id": 5, "edited_message": { "message_id": 2041, "from": { "id": 1, "is_bot": false, "first_name": "M" },
              "chat": { "id": 1, "type": "private" }, "date": 1767225600, "edit_date": 1767225700, "text": "Where is order #4712?" } }
            """);

        Assert.NotNull(message);
        Assert.Equal("1:2041", message.EditOf);
        Assert.Equal("1:2041:edit:1767225700", message.ProviderMessageId);
        Assert.Equal("Where is order #4712?", message.Text);
    }

    [Theory]
    [InlineData("""{ "location": { "latitude": 52.52, "longitude": 13.405 } }""", MessageKind.Location)]
    [InlineData("""{ "contact": { "phone_number": "+4915112345678", "first_name": "Berta", "last_name": "Lind" } }""", MessageKind.ContactCard)]
    [InlineData("""{ "voice": { "file_id": "voice-1", "file_unique_id": "v1", "duration": 3, "mime_type": "audio/ogg" } }""", MessageKind.Audio)]
    [InlineData("""{ "audio": { "file_id": "audio-1", "file_unique_id": "a1", "duration": 3, "file_name": "song.mp3", "mime_type": "audio/mpeg" } }""", MessageKind.Audio)]
    [InlineData("""{ "video": { "file_id": "video-1", "file_unique_id": "vi1", "width": 1, "height": 1, "duration": 3 } }""", MessageKind.Video)]
    [InlineData("""{ "document": { "file_id": "doc-1", "file_unique_id": "d1", "file_name": "invoice.pdf", "mime_type": "application/pdf" } }""", MessageKind.Document)]
    [InlineData("""{ "sticker": { "file_id": "sticker-1", "file_unique_id": "s1", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "👍" } }""", MessageKind.Sticker)]
    public async Task Each_kind_of_content_maps_to_its_message_kind(string content, MessageKind expected)
    {
        foreach (var id in new[] { "voice-1", "audio-1", "video-1", "doc-1", "sticker-1" })
            Fake.AddFile(id, [1, 2, 3]);
        var body = content.Trim()[1..^1];
        var update = $$"""{ "update_id": 9, "message": { "message_id": 7, "from": { "id": 1, "is_bot": false, "first_name": "M" }, "chat": { "id": 1, "type": "private" }, "date": 1767225600, {{body}} } }""";

        var message = await MapAsync(update);

        Assert.NotNull(message);
        Assert.Equal(expected, message.Kind);
        if (expected == MessageKind.Location)
            Assert.Equal(52.52, message.Location!.Latitude);
        if (expected == MessageKind.ContactCard)
            Assert.Equal(("Berta Lind", "+4915112345678"), (message.ContactCard!.DisplayName, message.ContactCard.PhoneNumber));
        if (expected is MessageKind.Audio or MessageKind.Video or MessageKind.Document or MessageKind.Sticker)
            Assert.NotNull(Assert.Single(message.Attachments).StorageKey);
    }

    [Fact]
    public async Task A_membership_change_is_not_an_inbox_message()
    {
        var message = await MapAsync("""
            { "update_id": 11, "my_chat_member": { "chat": { "id": 1, "type": "private" }, "from": { "id": 1, "is_bot": false, "first_name": "M" }, "date": 1767225600,
              "old_chat_member": { "status": "member", "user": { "id": 7000000001, "is_bot": true, "first_name": "Bot" } },
              "new_chat_member": { "status": "kicked", "user": { "id": 7000000001, "is_bot": true, "first_name": "Bot" }, "until_date": 0 } } }
            """);

        Assert.Null(message);
    }

    [Fact]
    public void The_receiver_reads_the_update_id_and_chat_without_the_client_library()
    {
        var reader = new TelegramPayloadReader();

        Assert.Equal(new("864201001", "5550001111"), reader.Read(System.Text.Encoding.UTF8.GetBytes(T1)));
        Assert.Equal(new("864201003", "5550001111"), reader.Read(System.Text.Encoding.UTF8.GetBytes(T3)));
        Assert.Null(reader.Read("{\"message\": {}}"u8));
        Assert.Null(reader.Read("not json"u8));
    }

    private async Task<OneInbox.Application.Channels.InboundMessage?> MapAsync(string update) =>
        await new TelegramUpdateMapper(Clients, Attachments).MapAsync(new InboundContext(Workspace, Endpoint), update, CancellationToken.None);
}
