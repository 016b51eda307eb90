using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneInbox.TestFakes;

/// <summary>
/// A loopback stand-in for Meta's Graph API as the WhatsApp Cloud API uses it (docs/channels.md §4.3): phone number
/// lookup, sends (text, media, interactive buttons and lists, templates, read receipts) with Meta's limits checked,
/// media upload and download (URL fetched with the bearer token), message templates. Every Graph call needs the
/// bearer token, else 401 with code 190. Records every call; faults (error codes, 429s) can be queued. The driver
/// half signs webhook bodies like Meta (X-Hub-Signature-256 over the exact bytes).
/// </summary>
public sealed class FakeWhatsAppGraphApi : IAsyncDisposable
{
    /// <summary>The app secret of the worked example in docs/channels.md §2.4.</summary>
    public const string DefaultAppSecret = "3f1c0a9e7b2d4c6e8f0a1b2c3d4e5f60";
    public const string DefaultPhoneNumberId = "200000000000002";
    public const string DefaultBusinessAccountId = "100000000000001";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentQueue<GraphFault> _faults = new();
    private readonly ConcurrentDictionary<string, (byte[] Content, string ContentType)> _media = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastInbound = new();
    private readonly ConcurrentDictionary<string, string> _phoneNumbers = new() { [DefaultPhoneNumberId] = "15550001111" };
    private int _nextId = 1000;

    private FakeWhatsAppGraphApi(WebApplication app) => _app = app;

    public string Token { get; private set; } = "EAAFakeWhatsAppToken" + Guid.NewGuid().ToString("N");

    public string AppSecret => DefaultAppSecret;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, a free-form send to a customer who has not written within 24 h fails with 131047, as Meta does.</summary>
    public bool EnforceWindow { get; set; }

    public JsonArray Templates { get; } = [];

    public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();

    /// <summary>Sends (not read receipts) to /{phone-number-id}/messages, in order.</summary>
    public IReadOnlyList<JsonObject> Sent =>
        _calls.Where(c => c.Path.EndsWith("/messages", StringComparison.Ordinal) && c.Method == "POST" && c.Status == 200)
            .Select(c => JsonNode.Parse(c.Body)!.AsObject()).Where(b => b["status"] is null).ToArray();

    public static async Task<FakeWhatsAppGraphApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeWhatsAppGraphApi(app);
        app.MapGet("/_media/{id}", fake.HandleDownload);
        app.Map("/{version}/{**path}", fake.HandleGraphAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    /// <summary>Another number of the same app (one webhook URL may serve several).</summary>
    public void AddPhoneNumber(string phoneNumberId, string displayNumber) => _phoneNumbers[phoneNumberId] = displayNumber;

    /// <summary>Inbound media the webhook refers to by id.</summary>
    public void AddMedia(string mediaId, byte[] content, string contentType) => _media[mediaId] = (content, contentType);

    public byte[]? UploadedMedia(string mediaId) => _media.TryGetValue(mediaId, out var media) ? media.Content : null;

    /// <summary>The customer wrote (opens the 24 h window the fake applies when <see cref="EnforceWindow"/> is set).</summary>
    public void CustomerWrote(string waId, DateTimeOffset at) => _lastInbound[waId] = at;

    /// <summary>The token stops working (190) until <see cref="RotateToken"/> issues a new one.</summary>
    public void ExpireToken() => Token = "expired-" + Guid.NewGuid().ToString("N");

    public string RotateToken() => Token = "EAAFakeWhatsAppToken" + Guid.NewGuid().ToString("N");

    /// <summary>The next send answers with this Graph error (HTTP 400 unless told otherwise; 429 carries Retry-After).</summary>
    public void FailNextSend(int code, int httpStatus = 400, string message = "(#0) Fake failure") => _faults.Enqueue(new GraphFault(code, httpStatus, message));

    /// <summary>X-Hub-Signature-256 of the exact bytes, as Meta signs a delivery.</summary>
    public static string Sign(byte[] body, string appSecret = DefaultAppSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>A webhook POST signed over the body's bytes (signature null: unsigned).</summary>
    public static HttpRequestMessage SignedPost(string url, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
            request.Headers.Add("X-Hub-Signature-256", signature);
        return request;
    }

    private async Task HandleGraphAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        var body = "";
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            var file = form.Files["file"];
            if (file is null || form["messaging_product"] != "whatsapp")
            {
                await ErrorAsync(context, path, "multipart", 100, 400, "(#100) file and messaging_product are required");
                return;
            }
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            body = $"multipart file={file.FileName} type={form["type"]} bytes={copy.Length}";
            if (!Authorized(context))
            {
                await ErrorAsync(context, path, body, 190, 401, "Invalid OAuth access token");
                return;
            }
            var mediaId = NextId("9");
            _media[mediaId] = (copy.ToArray(), file.ContentType ?? "application/octet-stream");
            await AnswerAsync(context, path, body, new JsonObject { ["id"] = mediaId });
            return;
        }
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync();
        if (!Authorized(context))
        {
            await ErrorAsync(context, path, body, 190, 401, "Invalid OAuth access token");
            return;
        }
        var segments = path.Trim('/').Split('/');
        var id = segments.Length > 1 ? segments[1] : "";
        var method = context.Request.Method;
        if (method == "GET" && segments.Length == 2 && _phoneNumbers.TryGetValue(id, out var display))
        {
            await AnswerAsync(context, path, body, new JsonObject { ["verified_name"] = "Acme", ["display_phone_number"] = display, ["id"] = id, ["quality_rating"] = "GREEN" });
        }
        else if (method == "GET" && segments.Length == 2 && _media.TryGetValue(id, out var media))
        {
            await AnswerAsync(context, path, body, new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["url"] = new Uri(BaseUrl, $"_media/{id}").ToString(),
                ["mime_type"] = media.ContentType,
                ["sha256"] = Convert.ToBase64String(SHA256.HashData(media.Content)),
                ["file_size"] = media.Content.Length.ToString(CultureInfo.InvariantCulture),
                ["id"] = id,
            });
        }
        else if (method == "GET" && segments.Length == 3 && segments[2] == "message_templates")
        {
            await AnswerAsync(context, path, body, new JsonObject { ["data"] = Templates.DeepClone() });
        }
        else if (method == "POST" && segments.Length == 3 && segments[2] == "messages" && _phoneNumbers.ContainsKey(id))
        {
            await SendAsync(context, path, body);
        }
        else if (method == "DELETE" && segments.Length == 2 && _media.TryRemove(id, out _))
        {
            await AnswerAsync(context, path, body, new JsonObject { ["success"] = true });
        }
        else
        {
            await ErrorAsync(context, path, body, 100, 400, "(#100) Unsupported request: the object does not exist or the path is unknown");
        }
    }

    private async Task SendAsync(HttpContext context, string path, string body)
    {
        var message = JsonNode.Parse(body)!.AsObject();
        if (message["messaging_product"]?.GetValue<string>() != "whatsapp")
        {
            await ErrorAsync(context, path, body, 100, 400, "(#100) messaging_product is required");
            return;
        }
        if (message["status"]?.GetValue<string>() == "read")
        {
            await AnswerAsync(context, path, body, new JsonObject { ["success"] = true });
            return;
        }
        if (_faults.TryDequeue(out var fault))
        {
            if (fault.HttpStatus == 429)
                context.Response.Headers.RetryAfter = "1";
            await ErrorAsync(context, path, body, fault.Code, fault.HttpStatus, fault.Message);
            return;
        }
        var to = message["to"]?.GetValue<string>();
        var type = message["type"]?.GetValue<string>();
        if (string.IsNullOrEmpty(to) || string.IsNullOrEmpty(type) || message[type] is not JsonObject content || Invalid(type, content) is { } invalid)
        {
            await ErrorAsync(context, path, body, 100, 400, "(#100) Invalid parameter: " + (to is null ? "to" : type is null ? "type" : "content"));
            return;
        }
        if (EnforceWindow && type != "template" && (!_lastInbound.TryGetValue(to, out var last) || DateTimeOffset.UtcNow - last > TimeSpan.FromHours(24)))
        {
            await ErrorAsync(context, path, body, 131047, 400, "(#131047) Re-engagement message");
            return;
        }
        await AnswerAsync(context, path, body, new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray { new JsonObject { ["input"] = to, ["wa_id"] = to } },
            ["messages"] = new JsonArray { new JsonObject { ["id"] = NextId("wamid.OUT"), ["message_status"] = "accepted" } },
        });
    }

    /// <summary>Meta's limits on what a send may carry (§2.5); a description of the first broken one.</summary>
    private static string? Invalid(string type, JsonObject content)
    {
        switch (type)
        {
            case "text":
                return content["body"]?.GetValue<string>() is { Length: > 0 and <= 4096 } ? null : "text body";
            case "image" or "video" or "audio" or "document" or "sticker":
                return content["id"] is not null || content["link"] is not null ? null : "media needs id or link";
            case "template":
                return content["name"] is not null && content["language"]?["code"] is not null ? null : "template name and language";
            case "interactive":
                if (content["body"]?["text"]?.GetValue<string>() is not { Length: > 0 and <= 1024 })
                    return "interactive body";
                if (content["type"]?.GetValue<string>() == "button")
                {
                    var buttons = content["action"]?["buttons"]?.AsArray();
                    return buttons is { Count: > 0 and <= 3 } && buttons.All(b => b?["reply"]?["title"]?.GetValue<string>() is { Length: > 0 and <= 20 }
                                                                                && b["reply"]!["id"]?.GetValue<string>() is { Length: > 0 and <= 256 })
                        ? null
                        : "reply buttons";
                }
                if (content["type"]?.GetValue<string>() == "list")
                {
                    var rows = content["action"]?["sections"]?.AsArray().SelectMany(s => s!["rows"]!.AsArray()).ToList();
                    return content["action"]?["button"]?.GetValue<string>() is { Length: > 0 and <= 20 }
                           && rows is { Count: > 0 and <= 10 }
                           && rows.All(r => r?["title"]?.GetValue<string>() is { Length: > 0 and <= 24 } && r["id"]?.GetValue<string>() is { Length: > 0 and <= 200 })
                        ? null
                        : "list";
                }
                return "interactive type";
            default:
                return "type";
        }
    }

    private async Task HandleDownload(HttpContext context, string id)
    {
        _calls.Enqueue(new RecordedCall("GET", context.Request.Path.Value!, "", 0));
        if (!Authorized(context))
        {
            context.Response.StatusCode = 401;
            return;
        }
        if (!_media.TryGetValue(id, out var media))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = media.ContentType;
        await context.Response.Body.WriteAsync(media.Content);
    }

    private bool Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.FirstOrDefault() is { } header && header == "Bearer " + Token;

    private async Task AnswerAsync(HttpContext context, string path, string body, JsonObject answer)
    {
        _calls.Enqueue(new RecordedCall(context.Request.Method, path, body, 200));
        await context.Response.WriteAsJsonAsync(answer);
    }

    private async Task ErrorAsync(HttpContext context, string path, string body, int code, int status, string message)
    {
        _calls.Enqueue(new RecordedCall(context.Request.Method, path, body, status));
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = "OAuthException",
                ["code"] = code,
                ["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = "fake" },
                ["fbtrace_id"] = "AbC123fakeTrace",
            },
        });
    }

    private string NextId(string prefix) => prefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <param name="Status">The HTTP status the fake answered (0 for media downloads).</param>
    public sealed record RecordedCall(string Method, string Path, string Body, int Status);

    private sealed record GraphFault(int Code, int HttpStatus, string Message);
}
