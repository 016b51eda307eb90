using System.Collections.Concurrent;
using System.Globalization;
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
/// A loopback stand-in for the Telegram Bot API: same paths (/bot&lt;token&gt;/&lt;method&gt;, /file/bot&lt;token&gt;/&lt;path&gt;),
/// same request encodings (query, form, JSON, multipart) and the same response envelope, so the real
/// Telegram.Bot client talks to it through its base URL. Records every call and can be told to fail.
/// Media may come as an upload or as a URL string (Telegram fetches those itself): a send without either is
/// refused as Telegram refuses it.
/// </summary>
public sealed class FakeTelegramBotApi : IAsyncDisposable
{
    public const string DefaultToken = "7000000001:AAFakeTokenForOneInboxTests_0123456789";

    private static readonly string[] SendMethods = ["sendmessage", "sendphoto", "senddocument", "sendvideo", "sendaudio"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly List<JsonObject> _updates = [];
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, (string Path, byte[] Content)> _files = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly SemaphoreSlim _updateArrived = new(0);
    private int _nextMessageId = 1000;

    private FakeTelegramBotApi(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    public string Token { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public string? WebhookUrl { get; private set; }

    public string? WebhookSecret { get; private set; }

    public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();

    public IReadOnlyList<RecordedCall> CallsTo(string method) =>
        _calls.Where(c => c.Method.Equals(method, StringComparison.OrdinalIgnoreCase)).ToArray();

    public static async Task<FakeTelegramBotApi> StartAsync(string token = DefaultToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeTelegramBotApi(app, token);
        app.Map("/bot{token}/{method}", fake.HandleMethodAsync);
        app.MapGet("/file/bot{token}/{**path}", fake.HandleDownload);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    /// <summary>Queues an update (raw JSON) for getUpdates.</summary>
    public void EnqueueUpdate(string updateJson)
    {
        lock (_gate)
            _updates.Add(JsonNode.Parse(updateJson)!.AsObject());
        _updateArrived.Release();
    }

    /// <summary>A file getFile and the download path serve.</summary>
    public void AddFile(string fileId, byte[] content, string filePath = "") =>
        _files[fileId] = (filePath.Length > 0 ? filePath : $"documents/{fileId}.bin", content);

    /// <summary>The next <paramref name="count"/> calls to a send method answer 429 with retry_after.</summary>
    public void RateLimitNext(int count, int retryAfterSeconds) =>
        AddFaults(count, 429, $"Too Many Requests: retry after {retryAfterSeconds}", retryAfterSeconds);

    /// <summary>The next calls to a send method answer a 5xx.</summary>
    public void FailNext(int count, int status = 502) => AddFaults(count, status, status == 502 ? "Bad Gateway" : "Internal Server Error", null);

    /// <summary>The next calls to a send method answer 403 as for a customer who blocked the bot.</summary>
    public void BlockNext(int count) => AddFaults(count, 403, "Forbidden: bot was blocked by the user", null);

    public void ChatNotFoundNext(int count) => AddFaults(count, 400, "Bad Request: chat not found", null);

    /// <summary>Waits until a call to <paramref name="method"/> matching the condition was recorded.</summary>
    public async Task<RecordedCall> WaitForCallAsync(string method, Func<RecordedCall, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(15));
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var call = CallsTo(method).FirstOrDefault(c => match?.Invoke(c) ?? true);
            if (call is not null)
                return call;
            await Task.Delay(20);
        }
        throw new TimeoutException($"No {method} call arrived at the fake Telegram API in time; calls: {string.Join(", ", Calls.Select(c => c.Method))}.");
    }

    private void AddFaults(int count, int status, string description, int? retryAfter)
    {
        for (var i = 0; i < count; i++)
            _faults.Enqueue(new Fault(status, description, retryAfter));
    }

    private async Task HandleMethodAsync(HttpContext context, string token, string method)
    {
        if (token != Token)
        {
            await WriteAsync(context, 401, new JsonObject { ["ok"] = false, ["error_code"] = 401, ["description"] = "Unauthorized" });
            return;
        }
        var parameters = await ReadParametersAsync(context.Request);
        var call = new RecordedCall(method, parameters.Values, parameters.Files, DateTimeOffset.UtcNow);
        var name = method.ToLowerInvariant();

        if (SendMethods.Contains(name) && _faults.TryDequeue(out var fault))
        {
            _calls.Enqueue(call with { Fault = fault.Status });
            var error = new JsonObject { ["ok"] = false, ["error_code"] = fault.Status, ["description"] = fault.Description };
            if (fault.RetryAfter is { } seconds)
                error["parameters"] = new JsonObject { ["retry_after"] = seconds };
            await WriteAsync(context, fault.Status, error);
            return;
        }
        // Telegram takes the file as an upload, a file id or an HTTP URL it fetches itself; without one it refuses.
        if (MediaField(name) is { } field && !HasFile(parameters.Values, parameters.Files, field))
        {
            _calls.Enqueue(call with { Fault = 400 });
            await WriteAsync(context, 400, new JsonObject { ["ok"] = false, ["error_code"] = 400, ["description"] = $"Bad Request: there is no {field} in the request" });
            return;
        }
        _calls.Enqueue(call);

        JsonNode? result = name switch
        {
            "getme" => new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Fake Bot", ["username"] = "fake_oneinbox_bot" },
            "sendmessage" => SentMessage(parameters.Values, m => m["text"] = Text(parameters.Values, "text")),
            "sendphoto" => SentMessage(parameters.Values, m => m["photo"] = new JsonArray(FileObject("photo", 90, 90))),
            "senddocument" => SentMessage(parameters.Values, m => m["document"] = FileObject("document", null, null)),
            "sendvideo" => SentMessage(parameters.Values, m => m["video"] = FileObject("video", 640, 480, duration: true)),
            "sendaudio" => SentMessage(parameters.Values, m => m["audio"] = FileObject("audio", null, null, duration: true)),
            "answercallbackquery" => true,
            "setwebhook" => SetWebhook(parameters.Values),
            "deletewebhook" => DeleteWebhook(),
            "getwebhookinfo" => new JsonObject { ["url"] = WebhookUrl ?? "", ["has_custom_certificate"] = false, ["pending_update_count"] = 0 },
            "getfile" => GetFile(parameters.Values),
            "getupdates" => null,
            _ => null,
        };
        if (name == "getupdates")
        {
            if (WebhookUrl is not null)
            {
                await WriteAsync(context, 409, new JsonObject { ["ok"] = false, ["error_code"] = 409, ["description"] = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
                return;
            }
            result = await GetUpdatesAsync(parameters.Values, context.RequestAborted);
        }
        if (result is null)
        {
            await WriteAsync(context, name == "getfile" ? 400 : 404, new JsonObject
            {
                ["ok"] = false,
                ["error_code"] = name == "getfile" ? 400 : 404,
                ["description"] = name == "getfile" ? "Bad Request: invalid file_id" : "Not Found",
            });
            return;
        }
        await WriteAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = result });
    }

    private async Task HandleDownload(HttpContext context, string token, string path)
    {
        var file = _files.Values.FirstOrDefault(f => f.Path == path);
        if (token != Token || file.Content is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(file.Content);
    }

    private static string? MediaField(string method) => method switch
    {
        "sendphoto" => "photo",
        "sendvideo" => "video",
        "sendaudio" => "audio",
        "senddocument" => "document",
        _ => null,
    };

    private static bool HasFile(IReadOnlyDictionary<string, JsonNode?> values, IReadOnlyDictionary<string, RecordedFile> files, string field) =>
        files.ContainsKey(field)
        || (values.TryGetValue(field, out var node) && node is JsonValue value && value.ToString() is { Length: > 0 } text && !text.StartsWith("attach://", StringComparison.Ordinal));

    private long BotId => long.Parse(Token.Split(':')[0], CultureInfo.InvariantCulture);

    private JsonObject SentMessage(IReadOnlyDictionary<string, JsonNode?> values, Action<JsonObject> fill)
    {
        var chatId = values.TryGetValue("chat_id", out var chat) ? ParseLong(chat) : 0;
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextMessageId),
            ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Fake Bot", ["username"] = "fake_oneinbox_bot" },
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        if (values.TryGetValue("caption", out var caption) && caption is not null)
            message["caption"] = caption.DeepClone();
        fill(message);
        return message;
    }

    private JsonObject FileObject(string kind, int? width, int? height, bool duration = false)
    {
        var id = $"fake-{kind}-{Guid.NewGuid():N}";
        var file = new JsonObject { ["file_id"] = id, ["file_unique_id"] = id[..20], ["file_size"] = 1024 };
        if (width is not null)
        {
            file["width"] = width;
            file["height"] = height;
        }
        if (duration)
            file["duration"] = 1;
        return file;
    }

    private JsonNode SetWebhook(IReadOnlyDictionary<string, JsonNode?> values)
    {
        var url = Text(values, "url");
        WebhookUrl = string.IsNullOrEmpty(url) ? null : url;
        WebhookSecret = Text(values, "secret_token");
        return true;
    }

    private JsonNode DeleteWebhook()
    {
        WebhookUrl = null;
        WebhookSecret = null;
        return true;
    }

    private JsonNode? GetFile(IReadOnlyDictionary<string, JsonNode?> values)
    {
        var id = Text(values, "file_id");
        if (id is null || !_files.TryGetValue(id, out var file))
            return null;
        return new JsonObject { ["file_id"] = id, ["file_unique_id"] = "u" + id[..Math.Min(10, id.Length)], ["file_size"] = file.Content.Length, ["file_path"] = file.Path };
    }

    private async Task<JsonNode> GetUpdatesAsync(IReadOnlyDictionary<string, JsonNode?> values, CancellationToken aborted)
    {
        var offset = values.TryGetValue("offset", out var o) ? ParseLong(o) : 0;
        var limit = values.TryGetValue("limit", out var l) ? (int)ParseLong(l) : 100;
        var timeout = values.TryGetValue("timeout", out var t) ? ParseLong(t) : 0;
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(timeout);
        while (true)
        {
            lock (_gate)
            {
                // Asking with an offset confirms everything below it, as Telegram forgets confirmed updates.
                _updates.RemoveAll(u => offset > 0 && u["update_id"]!.GetValue<long>() < offset);
                if (_updates.Count > 0)
                    return new JsonArray(_updates.Take(Math.Clamp(limit, 1, 100)).Select(u => (JsonNode?)u.DeepClone()).ToArray());
            }
            var remaining = deadline - TimeProvider.System.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
                return new JsonArray();
            try
            {
                await _updateArrived.WaitAsync(remaining < TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200), aborted);
            }
            catch (OperationCanceledException)
            {
                return new JsonArray();
            }
        }
    }

    private static string? Text(IReadOnlyDictionary<string, JsonNode?> values, string name) =>
        values.TryGetValue(name, out var node) && node is JsonValue value ? value.ToString() : null;

    private static long ParseLong(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value when long.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => 0,
    };

    private static async Task<(Dictionary<string, JsonNode?> Values, Dictionary<string, RecordedFile> Files)> ReadParametersAsync(HttpRequest request)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var files = new Dictionary<string, RecordedFile>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
            values[key] = ParseValue(value.ToString());
        if (request.HasJsonContentType())
        {
            var body = await JsonNode.ParseAsync(request.Body);
            if (body is JsonObject json)
            {
                foreach (var (key, value) in json)
                    values[key] = value?.DeepClone();
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
                values[key] = ParseValue(value.ToString());
            foreach (var file in form.Files)
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content);
                files[file.Name] = new RecordedFile(file.FileName, content.ToArray());
                values.TryAdd(file.Name, "attach://" + file.Name);
            }
            // Uploads may be referenced by parameter ("photo": "attach://<part>"); record them under the parameter too.
            foreach (var (key, value) in values.ToList())
            {
                if (value is JsonValue reference && reference.ToString() is { } text && text.StartsWith("attach://", StringComparison.Ordinal)
                    && files.TryGetValue(text["attach://".Length..], out var attached))
                    files[key] = attached;
            }
        }
        return (values, files);
    }

    /// <summary>Form and query values that hold JSON (reply_markup, numbers) are kept as JSON, like Telegram reads them.</summary>
    private static JsonNode? ParseValue(string value)
    {
        if (value.Length > 0 && (value[0] is '{' or '[' || long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
            }
        }
        return JsonValue.Create(value);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _updateArrived.Dispose();
    }

    private sealed record Fault(int Status, string Description, int? RetryAfter);
}

/// <summary>One call the fake received: the method, its parameters as JSON, uploaded files, and the fault it answered if any.</summary>
public sealed record RecordedCall(string Method, IReadOnlyDictionary<string, JsonNode?> Parameters, IReadOnlyDictionary<string, RecordedFile> Files, DateTimeOffset At)
{
    public int? Fault { get; init; }

    public string? Text(string name) => Parameters.TryGetValue(name, out var node) && node is JsonValue value ? value.ToString() : null;
}

public sealed record RecordedFile(string FileName, byte[] Content);
