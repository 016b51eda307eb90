using System.Text;
using OneInbox.Application.Flows;

namespace OneInbox.Infrastructure.Automation;

/// <summary>
/// Flows' HTTP requests to admin-configured URLs. The client's handler is the SSRF guard's (checked
/// addresses, no redirects); each call has its own time limit and the answer is read up to a size limit,
/// so a slow or huge answer cannot hold the conversation's single writer.
/// </summary>
internal sealed class GuardedOutboundHttp(IHttpClientFactory clients) : IOutboundHttp
{
    public const string ClientName = "oneinbox-flows-http";
    public const int MaxResponseBytes = 256 * 1024;

    public async Task<OutboundHttpResponse> SendAsync(OutboundHttpRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.JsonBody is not null)
            message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
                message.Content?.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.Content.Headers.ContentLength > MaxResponseBytes)
                throw new HttpRequestException($"The answer is larger than {MaxResponseBytes / 1024} KiB.");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var body = await ReadLimitedAsync(stream, timeout.Token);
            return new OutboundHttpResponse((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {request.Timeout.TotalSeconds:0.#}s.");
        }
    }

    private static async Task<string> ReadLimitedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxResponseBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
                break;
            read += n;
        }
        if (read > MaxResponseBytes)
            throw new HttpRequestException($"The answer is larger than {MaxResponseBytes / 1024} KiB.");
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
