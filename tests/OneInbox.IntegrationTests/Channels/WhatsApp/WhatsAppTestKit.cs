using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;

namespace OneInbox.IntegrationTests.Channels.WhatsApp;

/// <summary>Webhook bodies of docs/channels.md §2.9, built as Meta sends them, and connecting a number to the fake Graph API.</summary>
internal static class WhatsAppTestKit
{
    public const string Maria = "34600111222";

    /// <summary>W1 exactly as §2.4 gives it: 423 bytes whose signature with the §2.4 secret is known.</summary>
    public const string W1 = """{"object":"whatsapp_business_account","entry":[{"id":"100000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"200000000000002"},"contacts":[{"profile":{"name":"Maria Lopez"},"wa_id":"34600111222"}],"messages":[{"from":"34600111222","id":"wamid.TEST0001","timestamp":"1767225600","type":"text","text":{"body":"Hola"}}]},"field":"messages"}]}]}""";

    public const string W1Signature = "sha256=92b84f0460306fe582586252519f45df46a9661f976603e6f39a016c52a5f39d";

    public static async Task<(Guid Id, string VerifyToken, string? InboundUrl)> ConnectAsync(HttpClient admin, FakeWhatsAppGraphApi graph,
        string phoneNumberId = FakeWhatsAppGraphApi.DefaultPhoneNumberId, string name = "WhatsApp support")
    {
        var response = await admin.PostJsonAsync("/api/v1/channels", new
        {
            type = "whatsapp",
            name,
            phoneNumberId,
            businessAccountId = FakeWhatsAppGraphApi.DefaultBusinessAccountId,
            accessToken = graph.Token,
            appSecret = graph.AppSecret,
            baseUrl = graph.BaseUrl.ToString(),
        });
        var created = await response.ReadAsync<ChannelTest.Created>(HttpStatusCode.Created);
        return (created.Connection.Id, created.InboundSecret, created.InboundUrl);
    }

    /// <summary>One change of one entry: messages and statuses for one number, serialised once (its bytes are what gets signed).</summary>
    public static object Change(string phoneNumberId, object[]? messages = null, object[]? statuses = null, string? name = "Maria Lopez", string waId = Maria) => new
    {
        value = new Dictionary<string, object?>
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new { display_phone_number = "15550001111", phone_number_id = phoneNumberId },
            ["contacts"] = messages is null ? null : new[] { new { profile = new { name }, wa_id = waId } },
            ["messages"] = messages,
            ["statuses"] = statuses,
        }.Where(p => p.Value is not null).ToDictionary(),
        field = "messages",
    };

    public static byte[] Body(params object[] changes) =>
        JsonSerializer.SerializeToUtf8Bytes(new { @object = "whatsapp_business_account", entry = new[] { new { id = FakeWhatsAppGraphApi.DefaultBusinessAccountId, changes } } });

    public static object Text(string wamid, string text, int second = 0, string from = Maria) =>
        new { from, id = wamid, timestamp = Timestamp(second), type = "text", text = new { body = text } };

    public static object ButtonReply(string wamid, string payload, string title, int second = 0) =>
        new { context = new { from = "15550001111", id = "wamid.OUT0001" }, from = Maria, id = wamid, timestamp = Timestamp(second), type = "interactive",
            interactive = new { type = "button_reply", button_reply = new { id = payload, title } } };

    public static object ListReply(string wamid, string payload, string title, int second = 0) =>
        new { from = Maria, id = wamid, timestamp = Timestamp(second), type = "interactive",
            interactive = new { type = "list_reply", list_reply = new { id = payload, title, description = "" } } };

    public static object Status(string wamid, string status, int second = 0, int? errorCode = null) => errorCode is { } code
        ? new { id = wamid, status, timestamp = Timestamp(second), recipient_id = Maria, errors = new[] { new { code, title = "Re-engagement message" } } }
        : new { id = wamid, status, timestamp = Timestamp(second), recipient_id = Maria };

    /// <summary>Near now, so the customer service window counts from these messages.</summary>
    public static string Timestamp(int second) =>
        (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600 + second).ToString(CultureInfo.InvariantCulture);

    public static async Task<HttpResponseMessage> PostSignedAsync(HttpClient client, Guid connectionId, byte[] body, string? signature = "sign") =>
        await client.SendAsync(FakeWhatsAppGraphApi.SignedPost($"/webhooks/whatsapp/{connectionId}", body,
            signature == "sign" ? FakeWhatsAppGraphApi.Sign(body) : signature));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
