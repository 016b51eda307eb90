using System.Text;
using System.Text.Json;
using OneInbox.Application.Attachments;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure;
using OneInbox.Infrastructure.Attachments;
using OneInbox.Infrastructure.Channels.Inbound;
using OneInbox.Infrastructure.Channels.WhatsApp;
using OneInbox.Infrastructure.Persistence;
using OneInbox.TestFakes;

namespace OneInbox.UnitTests.Channels;

/// <summary>One customer message of each kind (channels.md §2.6), as the Cloud API delivers it, to what the inbox stores.</summary>
public sealed class WhatsAppMapperTests : IAsyncLifetime
{
    private const string Head = """{"from":"34600111222","id":"wamid.K1","timestamp":"1767225600",""";
    private readonly string _dataPath = Directory.CreateTempSubdirectory("oneinbox-wa-").FullName;
    private FakeWhatsAppGraphApi _graph = null!;
    private IAttachmentStore _attachments = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeWhatsAppGraphApi.StartAsync();
        _attachments = new LocalAttachmentStore(new StorageSettings(DatabaseProvider.Sqlite, _dataPath), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _graph.DisposeAsync();
        Directory.Delete(_dataPath, recursive: true);
    }

    private async Task<InboundMessage> MapAsync(string rest)
    {
        // Statuses need the inbox's sender; a customer's message does not touch it.
        var mapper = new WhatsAppMapper(new WhatsAppGraph(new PlainHttpClients()), _attachments, null!);
        var endpoint = new ChannelEndpoint(Guid.NewGuid(), _graph.BaseUrl, new Dictionary<string, string>
        {
            [WhatsAppCredentials.PhoneNumberId] = FakeWhatsAppGraphApi.DefaultPhoneNumberId,
            [WhatsAppCredentials.AccessToken] = _graph.Token,
        });
        using var message = JsonDocument.Parse(Head + rest + "}");
        return await mapper.MapMessageAsync(new InboundContext(Guid.NewGuid(), endpoint), message.RootElement, "34600111222", "Maria Lopez", CancellationToken.None);
    }

    [Fact]
    public async Task Text_is_a_text_message_from_the_wa_id_with_the_phone_in_E164()
    {
        var message = await MapAsync(""" "type":"text","text":{"body":"Hola"} """);
        Assert.Equal((MessageKind.Text, "Hola", "wamid.K1", "34600111222"), (message.Kind, message.Text, message.ProviderMessageId, message.ConversationKey));
        Assert.Equal(("34600111222", "Maria Lopez", "+34600111222"), (message.Sender.ExternalId, message.Sender.DisplayName, message.Sender.PhoneNumber));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), message.SentAt);
    }

    [Theory]
    [InlineData("image", MessageKind.Image, "image/jpeg", "Damaged box")]
    [InlineData("audio", MessageKind.Audio, "audio/ogg", null)]
    [InlineData("video", MessageKind.Video, "video/mp4", "Unboxing")]
    [InlineData("document", MessageKind.Document, "application/pdf", "Invoice")]
    [InlineData("sticker", MessageKind.Sticker, "image/webp", null)]
    public async Task Media_are_fetched_with_the_token_and_stored_byte_for_byte(string type, MessageKind kind, string contentType, string? caption)
    {
        var bytes = Encoding.UTF8.GetBytes($"{type} bytes {Guid.NewGuid()}");
        _graph.AddMedia("media-" + type, bytes, contentType);
        var captionJson = caption is null ? "" : $",\"caption\":\"{caption}\"";
        var message = await MapAsync($$""" "type":"{{type}}","{{type}}":{"id":"media-{{type}}","mime_type":"{{contentType}}"{{captionJson}}} """);

        Assert.Equal((kind, caption), (message.Kind, message.Text));
        var file = Assert.Single(message.Attachments);
        await using var stored = await _attachments.OpenRequiredAsync(file.StorageKey!, CancellationToken.None);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(contentType, file.ContentType);
    }

    [Fact]
    public async Task A_voice_note_is_audio()
    {
        _graph.AddMedia("voice-1", [1, 2, 3], "audio/ogg; codecs=opus");
        var message = await MapAsync(""" "type":"audio","audio":{"id":"voice-1","mime_type":"audio/ogg; codecs=opus","voice":true} """);
        Assert.Equal(MessageKind.Audio, message.Kind);
    }

    [Fact]
    public async Task A_location_keeps_its_coordinates_name_and_address()
    {
        var message = await MapAsync(""" "type":"location","location":{"latitude":40.4168,"longitude":-3.7038,"name":"Shop","address":"Gran Via 1"} """);
        Assert.Equal(MessageKind.Location, message.Kind);
        Assert.Equal((40.4168, -3.7038, "Shop", "Gran Via 1"), (message.Location!.Latitude, message.Location.Longitude, message.Location.Name, message.Location.Address));
    }

    [Fact]
    public async Task Shared_contacts_become_a_contact_card_with_name_and_phone()
    {
        var message = await MapAsync(""" "type":"contacts","contacts":[{"name":{"formatted_name":"Juan Perez","first_name":"Juan"},"phones":[{"phone":"+34 600 333 444","type":"CELL"}]}] """);
        Assert.Equal(MessageKind.ContactCard, message.Kind);
        Assert.Equal(("Juan Perez", "+34 600 333 444"), (message.ContactCard!.DisplayName, message.ContactCard.PhoneNumber));
    }

    [Theory]
    [InlineData("""{"type":"button_reply","button_reply":{"id":"order","title":"Order status"}}""", "order", "Order status")]
    [InlineData("""{"type":"list_reply","list_reply":{"id":"returns","title":"Returns","description":"Refunds"}}""", "returns", "Returns")]
    public async Task Reply_buttons_and_list_rows_are_button_presses_with_their_payload(string interactive, string payload, string title)
    {
        var message = await MapAsync($$""" "context":{"from":"15550001111","id":"wamid.MENU"},"type":"interactive","interactive":{{interactive}} """);
        Assert.Equal((MessageKind.ButtonReply, payload, title), (message.Kind, message.ButtonPayload, message.Text));
        Assert.Equal("wamid.MENU", message.ReplyTo);
    }

    [Fact]
    public async Task A_template_quick_reply_is_a_button_press()
    {
        var message = await MapAsync(""" "context":{"from":"15550001111","id":"wamid.TPL"},"type":"button","button":{"payload":"stop_promos","text":"Stop promotions"} """);
        Assert.Equal((MessageKind.ButtonReply, "stop_promos", "Stop promotions"), (message.Kind, message.ButtonPayload, message.Text));
    }

    [Fact]
    public async Task A_reaction_points_at_the_message_it_reacts_to_and_an_empty_emoji_takes_it_back()
    {
        var reaction = await MapAsync(""" "type":"reaction","reaction":{"message_id":"wamid.OURS","emoji":"👍"} """);
        Assert.Equal(("wamid.OURS", "👍"), (reaction.ReactionTo, reaction.Text));
        var removed = await MapAsync(""" "type":"reaction","reaction":{"message_id":"wamid.OURS"} """);
        Assert.Equal(("wamid.OURS", ""), (removed.ReactionTo, removed.Text));
    }

    [Fact]
    public async Task A_reply_keeps_the_id_of_the_message_it_answers()
    {
        var message = await MapAsync(""" "context":{"from":"15550001111","id":"wamid.EARLIER"},"type":"text","text":{"body":"Yes, that one"} """);
        Assert.Equal(("wamid.EARLIER", "Yes, that one"), (message.ReplyTo, message.Text));
    }

    [Fact]
    public async Task A_system_message_is_an_event()
    {
        var message = await MapAsync(""" "type":"system","system":{"body":"Maria changed her number","type":"user_changed_number"} """);
        Assert.Equal((MessageKind.SystemEvent, "Maria changed her number"), (message.Kind, message.Text));
    }

    [Fact]
    public async Task An_unsupported_message_is_kept_as_an_event_with_Meta_s_error_code()
    {
        var message = await MapAsync(""" "type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}] """);
        Assert.Equal((MessageKind.SystemEvent, "Unsupported unsupported message (WhatsApp error 131051)"), (message.Kind, message.Text));
    }

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
