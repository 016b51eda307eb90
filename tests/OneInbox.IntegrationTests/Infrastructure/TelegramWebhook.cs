using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OneInbox.TestFakes;

namespace OneInbox.IntegrationTests.Infrastructure;

/// <summary>Telegram's side of a webhook delivery to a server process: one update, posted as Telegram posts it.</summary>
public static class TelegramWebhook
{
    /// <summary>Signs up a new owner and connects the fake's bot in webhook mode: the connection's id and its inbound secret.</summary>
    public static async Task<(Guid ConnectionId, string Secret)> ConnectAsync(HttpClient http, FakeTelegramBotApi telegram, string owner)
    {
        var accessToken = await TestIdentity.SignUpAsync(http, owner);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels")
        {
            Content = JsonContent.Create(new { type = "telegram", name = owner + " bot", botToken = telegram.Token, mode = "webhook", baseUrl = telegram.BaseUrl.ToString() }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var created = await (await http.SendAsync(request)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return (created.GetProperty("connection").GetProperty("id").GetGuid(), created.GetProperty("inboundSecret").GetString()!);
    }

    public static string Update(int updateId, long chatId, string text) =>
        $$$"""{"update_id":{{{updateId}}},"message":{"message_id":{{{updateId}}},"from":{"id":{{{chatId}}},"is_bot":false,"first_name":"C"},"chat":{"id":{{{chatId}}},"type":"private"},"date":1767225600,"text":"{{{text}}}"}}""";

    /// <summary>True when the server acknowledged the update (200); false when it refused it or died mid-request.</summary>
    public static async Task<bool> TryPostAsync(HttpClient http, Guid connectionId, string secret, int updateId, long chatId, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connectionId}")
        {
            Content = new StringContent(Update(updateId, chatId, text), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false; // the server died mid-request: not acknowledged, Telegram would deliver it again
        }
    }
}
