using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Application.Channels;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>
/// The few Graph API calls the WhatsApp channel makes, with the connection's bearer token in a header (never in a
/// URL) through the SSRF-guarded provider client. Failures come back as Meta's error code, which is what Meta
/// advises building on; the HTTP status is a hint only.
/// </summary>
internal sealed class WhatsAppGraph(IHttpClientFactory httpClients)
{
    public static readonly Uri PublicApi = new("https://graph.facebook.com/");
    public const string DefaultVersion = "v23.0";

    public async Task<GraphResult> GetAsync(ChannelEndpoint endpoint, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, UrlOf(endpoint, path));
        return await SendAsync(endpoint, request, cancellationToken);
    }

    public async Task<GraphResult> PostJsonAsync(ChannelEndpoint endpoint, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, UrlOf(endpoint, path))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await SendAsync(endpoint, request, cancellationToken);
    }

    /// <summary>Uploads bytes to the number's media store (multipart file, messaging_product, type); the answer holds the media id.</summary>
    public async Task<GraphResult> UploadAsync(ChannelEndpoint endpoint, Stream content, string fileName, string contentType, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("whatsapp"), "messaging_product");
        form.Add(new StringContent(contentType), "type");
        var file = new StreamContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, UrlOf(endpoint, $"{Setting(endpoint, WhatsAppCredentials.PhoneNumberId)}/media")) { Content = form };
        return await SendAsync(endpoint, request, cancellationToken);
    }

    /// <summary>A media URL from Graph: fetched with the same bearer token (a plain GET is refused), valid for minutes.</summary>
    public async Task<Stream> DownloadAsync(ChannelEndpoint endpoint, Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Setting(endpoint, WhatsAppCredentials.AccessToken));
        using var response = await httpClients.CreateClient(ChannelHttp.Provider).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var buffer = new MemoryStream();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new InvalidDataException("The media is larger than OneInbox stores.");
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    private async Task<GraphResult> SendAsync(ChannelEndpoint endpoint, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Setting(endpoint, WhatsAppCredentials.AccessToken));
        using var response = await httpClients.CreateClient(ChannelHttp.Provider).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? json;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            json = null;
        }
        if (response.IsSuccessStatusCode && json is JsonObject ok)
            return new GraphResult(ok, null, response.StatusCode, RetryAfter(response));
        var error = json?["error"];
        var code = error?["code"]?.GetValueKind() == JsonValueKind.Number ? error["code"]!.GetValue<int>() : (int?)null;
        return new GraphResult(null, new GraphError(code ?? 0, error?["error_subcode"]?.GetValueKind() == JsonValueKind.Number ? error["error_subcode"]!.GetValue<int>() : null,
            error?["type"]?.GetValue<string>()), response.StatusCode, RetryAfter(response));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter?.Delta;

    public static Uri UrlOf(ChannelEndpoint endpoint, string path)
    {
        var root = endpoint.BaseUrl ?? PublicApi;
        var rootText = root.ToString().EndsWith('/') ? root.ToString() : root + "/";
        var version = endpoint.Credentials.GetValueOrDefault(WhatsAppCredentials.ApiVersion) is { Length: > 0 } v ? v : DefaultVersion;
        return new Uri(new Uri(rootText), $"{version}/{path}");
    }

    public static string Setting(ChannelEndpoint endpoint, string name) =>
        endpoint.Credentials.GetValueOrDefault(name) ?? throw new InvalidOperationException($"The WhatsApp connection has no {name}.");
}

/// <param name="Body">The answer's JSON when the call succeeded.</param>
internal sealed record GraphResult(JsonObject? Body, GraphError? Error, HttpStatusCode Status, TimeSpan? RetryAfter);

/// <param name="Code">Meta's error code (190 token, 130429 throughput, 131047 window, ...); 0 when the answer had none.</param>
internal sealed record GraphError(int Code, int? Subcode, string? Type);

/// <summary>The names of what a WhatsApp connection keeps in its encrypted credentials.</summary>
internal static class WhatsAppCredentials
{
    public const string PhoneNumberId = "phoneNumberId";
    public const string BusinessAccountId = "businessAccountId";
    public const string AccessToken = "accessToken";
    public const string AppSecret = "appSecret";
    public const string ApiVersion = "apiVersion";
}
