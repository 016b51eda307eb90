using OneInbox.Application.Channels;
using Telegram.Bot;

namespace OneInbox.Infrastructure.Channels.Telegram;

/// <summary>
/// Builds the Telegram.Bot client for a connection: its token, its base URL (a local Bot API server or a
/// test fake when configured) and a pooled, SSRF-guarded HttpClient. The library's own 429 sleeping is off,
/// because our dispatcher schedules retries itself instead of holding a worker.
/// </summary>
internal sealed class TelegramClients(IHttpClientFactory httpClients)
{
    public TelegramBotClient For(ChannelEndpoint endpoint, string httpClientName = ChannelHttp.Provider)
    {
        var token = endpoint.Credentials.GetValueOrDefault(ChannelCredentials.BotToken)
                    ?? throw new InvalidOperationException("The Telegram connection has no bot token.");
        var baseUrl = endpoint.BaseUrl is null || endpoint.BaseUrl == TelegramModule.PublicApi ? null : endpoint.BaseUrl.GetLeftPart(UriPartial.Authority);
        var options = new TelegramBotClientOptions(token, baseUrl) { RetryThreshold = 0, RetryCount = 1 };
        return new TelegramBotClient(options, httpClients.CreateClient(httpClientName));
    }
}
