using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Api;

/// <summary>
/// Delivers outbound messages of an API channel as a signed JSON POST to the connection's callback URL,
/// through the SSRF-guarded client (no internal addresses, no redirects).
/// </summary>
internal sealed class ApiCallbackSender(IHttpClientFactory httpClients, TimeProvider clock) : IChannelSender
{
    public ChannelType Channel => ApiModule.Channel;

    public async ValueTask<SendOutcome> SendAsync(ChannelEndpoint endpoint, OutboundMessage message, CancellationToken cancellationToken)
    {
        var secret = endpoint.Credentials.GetValueOrDefault(ChannelCredentials.SigningSecret)
                     ?? throw new InvalidOperationException("The API connection has no signing secret.");
        var body = JsonSerializer.SerializeToUtf8Bytes(new ApiCallback(
            "message",
            message.MessageId,
            message.ConversationKey,
            JsonNamingPolicy.CamelCase.ConvertName(message.Kind.ToString()),
            message.Text,
            message.Buttons.Select(b => new ApiCallbackButton(b.Title, b.Payload)).ToList(),
            message.Attachments.Select(a => new ApiCallbackAttachment(JsonNamingPolicy.CamelCase.ConvertName(a.Kind.ToString()), a.FileName, a.ContentType, a.Url)).ToList()),
            JsonSerializerOptions.Web);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.BaseUrl ?? throw new InvalidOperationException("The API connection has no callback URL.")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(ApiSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ApiSignature.SignatureHeader, ApiSignature.Sign(secret, timestamp, body));
        try
        {
            using var response = await httpClients.CreateClient(ChannelHttp.Callback).SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => new SendOutcome.Sent(message.MessageId.ToString()),
                429 => new SendOutcome.RateLimited(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5)),
                >= 500 or 408 => new SendOutcome.Transient($"callback answered {status}"),
                >= 300 and < 400 => new SendOutcome.Failed("redirected", "The callback URL redirects; redirects are not followed."),
                (int)HttpStatusCode.Gone => new SendOutcome.Failed("gone", "The receiver no longer accepts this conversation."),
                _ => new SendOutcome.Failed("rejected", $"The callback answered {status}."),
            };
        }
        catch (HttpRequestException refused) when (refused is Security.OutboundAddressRefusedException || refused.InnerException is Security.OutboundAddressRefusedException)
        {
            return new SendOutcome.Failed("address_refused", "The callback URL resolves to an address outbound calls may not reach.");
        }
        catch (HttpRequestException http)
        {
            return new SendOutcome.Transient("network: " + http.HttpRequestError);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome.Transient("callback timed out");
        }
    }

    private sealed record ApiCallback(string Event, Guid MessageId, string ConversationId, string Kind, string? Text,
        IReadOnlyList<ApiCallbackButton> Buttons, IReadOnlyList<ApiCallbackAttachment> Attachments);

    private sealed record ApiCallbackButton(string Title, string Payload);

    /// <param name="Url">Set for media a flow sends by public URL; the receiver fetches it from there.</param>
    private sealed record ApiCallbackAttachment(string Kind, string FileName, string ContentType, string? Url);
}
