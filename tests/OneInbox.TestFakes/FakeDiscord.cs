using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;

namespace OneInbox.TestFakes;

/// <summary>
/// A loopback stand-in for Discord (channels.md §4.4): REST v10 under <c>/api/v10</c> with the real paths,
/// headers, JSON, rate-limit headers and error bodies; a WebSocket gateway on the same port that speaks the
/// v10 protocol (Hello, Identify checks, READY, dispatches, heartbeat ACKs, resume with replay, op 7/9,
/// close codes); a CDN for attachments; and a driver that signs HTTP interactions with the §3.8 seed.
/// Tests script faults through its methods. Every request is recorded.
/// </summary>
public sealed partial class FakeDiscord : IAsyncDisposable
{
    public const string DefaultToken = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.GfakeD.oneinbox-discord-fake-token-0123456789";
    public const string BotUserId = "1300000000000000001";
    public const string BotUsername = "acme-support";
    public const string ApplicationId = "1300000000000000001";

    /// <summary>The §3.8 key pair: the seed stays here (Discord's side), the public key goes into the connection.</summary>
    public const string PublicKeyHex = "42df30dee7d27db0b9f02b2584c436e2a97a3d57dd6e2d1f6de5acd970a97b80";
    private const string SeedHex = "8e26ea7bfaa446112d37d6e6ce61b7dc91e196850869aa364179fc219824ed8b";

    private const string MessagesBucket = "f4k3-messages";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FakeDiscordMessage> _sent = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Content)> _cdn = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _interactions = new();
    private readonly ConcurrentQueue<(string Id, int Type)> _callbacks = new();
    private readonly ConcurrentDictionary<string, bool> _refusesDms = new();
    private readonly ConcurrentDictionary<string, (int Used, DateTimeOffset ResetAt)> _messageBuckets = new();
    private readonly ConcurrentDictionary<string, JsonObject> _nonces = new();
    private long _nextSnowflake = 1300000000000090000;

    private FakeDiscord(WebApplication app, FakeDiscordOptions options)
    {
        _app = app;
        Options = options;
    }

    public FakeDiscordOptions Options { get; }

    /// <summary>The REST base URL a connection is configured with (…/api/v10).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>What <c>GET /gateway/bot</c> answers: ws://127.0.0.1:port.</summary>
    public Uri GatewayUrl { get; private set; } = null!;

    public string Token { get; private set; } = DefaultToken;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public IReadOnlyList<FakeDiscordMessage> SentMessages => _sent.ToArray();

    public IReadOnlyList<(string InteractionId, int Type)> InteractionCallbacks => _callbacks.ToArray();

    public static async Task<FakeDiscord> StartAsync(FakeDiscordOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeDiscord(app, options ?? new FakeDiscordOptions());
        app.UseWebSockets();
        app.Map("/", fake.HandleGatewayAsync);
        app.Map("/resume", fake.HandleGatewayAsync);
        app.MapGet("/api/v10/users/@me", fake.Rest(fake.CurrentUser));
        app.MapGet("/api/v10/gateway", fake.Rest(_ => Task.FromResult(Json(200, new JsonObject { ["url"] = fake.GatewayUrl.ToString().TrimEnd('/') }))));
        app.MapGet("/api/v10/gateway/bot", fake.Rest(fake.GatewayBot));
        app.MapPost("/api/v10/channels/{channelId}/messages", fake.Rest(fake.CreateMessageAsync));
        app.MapPost("/api/v10/users/@me/channels", fake.Rest(fake.OpenDmAsync));
        app.MapPost("/api/v10/interactions/{id}/{token}/callback", fake.Rest(fake.InteractionCallbackAsync));
        app.MapMethods("/api/v10/webhooks/{appId}/{token}/messages/@original", ["PATCH"], fake.Rest(_ => Task.FromResult(Json(200, new JsonObject { ["id"] = fake.NextId() }))));
        app.MapPost("/api/v10/webhooks/{appId}/{token}", fake.Rest(_ => Task.FromResult(Json(200, new JsonObject { ["id"] = fake.NextId() }))));
        app.MapGet("/cdn/attachments/{channelId}/{id}/{fileName}", fake.ServeCdn);
        app.MapPost("/_fake/discord/dispatch", fake.DispatchFromControlAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        fake.BaseUrl = new Uri(address, "/api/v10");
        fake.GatewayUrl = new UriBuilder(address) { Scheme = "ws" }.Uri;
        return fake;
    }

    /// <summary>From now on the token is refused: REST answers 401, Identify closes with 4004.</summary>
    public void RevokeToken() => Token = "revoked:" + Guid.NewGuid().ToString("N");

    /// <summary>The next message sends answer 429 (route scope; <paramref name="global"/> for the global limit).</summary>
    public void RateLimitNext(int count, double retryAfterSeconds, bool global = false)
    {
        for (var i = 0; i < count; i++)
            _faults.Enqueue(new Fault(429, global ? 0 : 0, "You are being rate limited.", retryAfterSeconds, global));
    }

    /// <summary>The next message sends answer a 5xx.</summary>
    public void FailNext(int count, int status = 502)
    {
        for (var i = 0; i < count; i++)
            _faults.Enqueue(new Fault(status, 0, "Bad Gateway", null, false));
    }

    /// <summary>The next message sends answer a Discord error, e.g. 403 with 50013 "Missing Permissions".</summary>
    public void ErrorNext(int count, int status, int code, string message)
    {
        for (var i = 0; i < count; i++)
            _faults.Enqueue(new Fault(status, code, message, null, false));
    }

    /// <summary>This user does not accept DMs from the bot: opening one or sending into it answers 403 / 50007.</summary>
    public void RefuseDirectMessagesFrom(string userId) => _refusesDms[userId] = true;

    /// <summary>The per-channel message bucket: <paramref name="limit"/> sends per <paramref name="resetAfter"/>.</summary>
    public void SetMessageBucket(int limit, TimeSpan resetAfter)
    {
        Options.MessageBucketLimit = limit;
        Options.MessageBucketResetAfter = resetAfter;
    }

    /// <summary>Puts a file on the fake CDN and gives the signed-looking URL a message's attachment carries.</summary>
    public string AddAttachment(string channelId, string fileName, string contentType, byte[] content)
    {
        var id = NextId();
        _cdn[id] = (contentType, content);
        var address = new UriBuilder(GatewayUrl) { Scheme = "http" }.Uri;
        return new Uri(address, $"/cdn/attachments/{channelId}/{id}/{Uri.EscapeDataString(fileName)}?ex=6956a000&is=69554e80&hm=00ff").ToString();
    }

    /// <summary>Signs an interaction body as Discord does: Ed25519 over the timestamp followed by the body.</summary>
    public static string Sign(string timestamp, string body)
    {
        var algorithm = SignatureAlgorithm.Ed25519;
        using var key = Key.Import(algorithm, Convert.FromHexString(SeedHex), KeyBlobFormat.RawPrivateKey);
        return Convert.ToHexStringLower(algorithm.Sign(key, Encoding.UTF8.GetBytes(timestamp + body)));
    }

    /// <summary>
    /// POSTs an interaction to our endpoint signed with the seed; <paramref name="signature"/> and
    /// <paramref name="signedTimestamp"/> let a test send a tampered request.
    /// </summary>
    public async Task<HttpResponseMessage> PostInteractionAsync(HttpClient http, Uri endpoint, string body, string timestamp, string? signature = null, string? signedTimestamp = null)
    {
        RememberInteraction(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature-Ed25519", signature ?? Sign(signedTimestamp ?? timestamp, body));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return await http.SendAsync(request);
    }

    /// <summary>An interaction Discord created just now (as if it was dispatched or posted), so its callback is accepted for 3 s.</summary>
    public void RegisterInteraction(string interactionId) => _interactions[interactionId] = DateTimeOffset.UtcNow;

    /// <summary>Waits until a message was posted that matches.</summary>
    public async Task<FakeDiscordMessage> WaitForMessageAsync(Func<FakeDiscordMessage, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTimeOffset.UtcNow < deadline)
        {
            var message = SentMessages.FirstOrDefault(match);
            if (message is not null)
                return message;
            await Task.Delay(20);
        }
        throw new TimeoutException($"No matching message was posted to the fake Discord in time; posted: {string.Join(" | ", SentMessages.Select(m => m.Content))}.");
    }

    public string NextId() => Interlocked.Increment(ref _nextSnowflake).ToString(CultureInfo.InvariantCulture);

    private Func<HttpContext, Task> Rest(Func<HttpContext, Task<Reply>> handler) => async context =>
    {
        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        var raw = await reader.ReadToEndAsync();
        context.Request.Body.Position = 0;
        _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.ToString(),
            context.Request.Headers.UserAgent.ToString(), raw, DateTimeOffset.UtcNow));
        Reply reply;
        if (context.Request.Headers.Authorization.ToString() != "Bot " + Token)
            reply = Json(401, new JsonObject { ["message"] = "401: Unauthorized", ["code"] = 0 });
        else
            reply = await handler(context);
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        if (!context.Response.Headers.ContainsKey("X-RateLimit-Bucket"))
        {
            context.Response.Headers["X-RateLimit-Limit"] = "50";
            context.Response.Headers["X-RateLimit-Remaining"] = "49";
            context.Response.Headers["X-RateLimit-Reset-After"] = "1.000";
            context.Response.Headers["X-RateLimit-Reset"] = Epoch(DateTimeOffset.UtcNow.AddSeconds(1));
            context.Response.Headers["X-RateLimit-Bucket"] = "f4k3-" + (context.Request.Path.Value ?? "").Split('/').ElementAtOrDefault(3);
        }
        context.Response.StatusCode = reply.Status;
        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body.ToJsonString());
        }
    };

    private Task<Reply> CurrentUser(HttpContext context) =>
        Task.FromResult(Json(200, new JsonObject
        {
            ["id"] = BotUserId, ["username"] = BotUsername, ["discriminator"] = "0", ["global_name"] = null, ["avatar"] = null, ["bot"] = true,
        }));

    private Task<Reply> GatewayBot(HttpContext context)
    {
        var remaining = Math.Max(0, Options.IdentifyBudget - IdentifyCount);
        return Task.FromResult(Json(200, new JsonObject
        {
            ["url"] = GatewayUrl.ToString().TrimEnd('/'),
            ["shards"] = 1,
            ["session_start_limit"] = new JsonObject { ["total"] = Options.IdentifyBudget, ["remaining"] = remaining, ["reset_after"] = 14400000, ["max_concurrency"] = 1 },
        }));
    }

    private async Task<Reply> CreateMessageAsync(HttpContext context)
    {
        var channelId = (string)context.Request.RouteValues["channelId"]!;
        var bucket = BucketHeaders(channelId, out var exhausted);
        if (exhausted is { } wait)
            return Limited(wait.TotalSeconds, global: false);
        if (_faults.TryDequeue(out var fault))
        {
            if (fault.Status == 429)
                return Limited(fault.RetryAfter ?? 1, fault.Global);
            return Json(fault.Status, new JsonObject { ["message"] = fault.Message, ["code"] = fault.Code }) with { Headers = bucket };
        }
        if (_refusesDms.Keys.Any(user => DmChannelId(user) == channelId))
            return Json(403, new JsonObject { ["message"] = "Cannot send messages to this user", ["code"] = 50007 }) with { Headers = bucket };

        JsonObject payload;
        var files = new List<RecordedUpload>();
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            payload = JsonNode.Parse(form["payload_json"].ToString())?.AsObject() ?? [];
            foreach (var file in form.Files)
            {
                using var memory = new MemoryStream();
                await file.CopyToAsync(memory);
                files.Add(new RecordedUpload(file.Name, file.FileName, file.ContentType, memory.ToArray()));
            }
        }
        else
        {
            payload = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? [];
        }
        if (Invalid(payload, files.Count) is { } problem)
            return Json(400, new JsonObject { ["message"] = "Invalid Form Body", ["code"] = 50035, ["errors"] = new JsonObject { ["_errors"] = problem } }) with { Headers = bucket };

        var nonce = payload["nonce"]?.GetValue<string>();
        if (nonce is not null && payload["enforce_nonce"]?.GetValue<bool>() == true && _nonces.TryGetValue(channelId + "|" + nonce, out var existing))
            return Json(200, existing.DeepClone().AsObject()) with { Headers = bucket };

        var id = NextId();
        var message = new JsonObject
        {
            ["id"] = id, ["channel_id"] = channelId, ["type"] = payload["message_reference"] is null ? 0 : 19,
            ["author"] = new JsonObject { ["id"] = BotUserId, ["username"] = BotUsername, ["discriminator"] = "0", ["global_name"] = null, ["avatar"] = null, ["bot"] = true },
            ["content"] = payload["content"]?.GetValue<string>() ?? "", ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture),
            ["edited_timestamp"] = null, ["components"] = payload["components"]?.DeepClone() ?? new JsonArray(), ["embeds"] = new JsonArray(),
            ["attachments"] = new JsonArray(files.Select(f => (JsonNode)new JsonObject { ["id"] = NextId(), ["filename"] = f.FileName, ["size"] = f.Content.Length, ["content_type"] = f.ContentType }).ToArray()),
            ["mentions"] = new JsonArray(), ["mention_roles"] = new JsonArray(), ["mention_everyone"] = false, ["tts"] = false, ["pinned"] = false, ["flags"] = 0,
        };
        if (payload["message_reference"] is JsonObject reference)
            message["message_reference"] = new JsonObject { ["type"] = 0, ["message_id"] = reference["message_id"]?.DeepClone(), ["channel_id"] = channelId };
        if (nonce is not null)
        {
            message["nonce"] = nonce;
            _nonces[channelId + "|" + nonce] = message;
        }
        _sent.Enqueue(new FakeDiscordMessage(id, channelId, payload["content"]?.GetValue<string>(), payload, files, DateTimeOffset.UtcNow));
        // Discord echoes the bot's own message on the gateway; the inbox must ignore it.
        await DispatchToLatestSessionAsync("MESSAGE_CREATE", message.DeepClone().AsObject());
        return Json(200, message) with { Headers = bucket };
    }

    /// <summary>The checks of channels.md §3.5 that a client gets wrong most easily.</summary>
    private static string? Invalid(JsonObject payload, int fileCount)
    {
        var content = payload["content"]?.GetValue<string>();
        var components = payload["components"] as JsonArray;
        if (string.IsNullOrEmpty(content) && (components is null || components.Count == 0) && fileCount == 0)
            return "Cannot send an empty message";
        if (content is { Length: > 2000 })
            return "content: Must be 2000 or fewer in length.";
        if (components is null)
            return null;
        if (components.Count > 5)
            return "components: Must be 5 or fewer in length.";
        foreach (var row in components)
        {
            if (row?["type"]?.GetValue<int>() != 1 || row["components"] is not JsonArray buttons || buttons.Count is 0 or > 5)
                return "components: an action row holds 1 to 5 components.";
            foreach (var button in buttons)
            {
                if (button?["type"]?.GetValue<int>() != 2)
                    return "components: only buttons are supported by this fake.";
                var customId = button["custom_id"]?.GetValue<string>();
                var label = button["label"]?.GetValue<string>();
                if (customId is not { Length: >= 1 and <= 100 })
                    return "custom_id: Must be between 1 and 100 in length.";
                if (label is { Length: > 80 })
                    return "label: Must be 80 or fewer in length.";
            }
        }
        return null;
    }

    private Dictionary<string, string> BucketHeaders(string channelId, out TimeSpan? exhausted)
    {
        var now = DateTimeOffset.UtcNow;
        var state = _messageBuckets.AddOrUpdate(channelId,
            _ => (1, now + Options.MessageBucketResetAfter),
            (_, s) => now >= s.ResetAt ? (1, now + Options.MessageBucketResetAfter) : (s.Used + 1, s.ResetAt));
        exhausted = state.Used > Options.MessageBucketLimit ? state.ResetAt - now : null;
        var remaining = Math.Max(0, Options.MessageBucketLimit - state.Used);
        return new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = Options.MessageBucketLimit.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset-After"] = (state.ResetAt - now).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset"] = Epoch(state.ResetAt),
            ["X-RateLimit-Bucket"] = MessagesBucket,
        };
    }

    private static Reply Limited(double retryAfter, bool global)
    {
        var headers = new Dictionary<string, string>
        {
            ["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = global ? "global" : "user",
        };
        if (global)
            headers["X-RateLimit-Global"] = "true";
        else
        {
            headers["X-RateLimit-Bucket"] = MessagesBucket;
            headers["X-RateLimit-Limit"] = "5";
            headers["X-RateLimit-Remaining"] = "0";
            headers["X-RateLimit-Reset-After"] = retryAfter.ToString("0.000", CultureInfo.InvariantCulture);
        }
        return new Reply(429, new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = retryAfter, ["global"] = global }, headers);
    }

    private async Task<Reply> OpenDmAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject();
        var recipient = body?["recipient_id"]?.GetValue<string>();
        if (recipient is null)
            return Json(400, new JsonObject { ["message"] = "Invalid Form Body", ["code"] = 50035 });
        if (_refusesDms.ContainsKey(recipient))
            return Json(403, new JsonObject { ["message"] = "Cannot send messages to this user", ["code"] = 50007 });
        return Json(200, new JsonObject
        {
            ["id"] = DmChannelId(recipient), ["type"] = 1, ["last_message_id"] = null,
            ["recipients"] = new JsonArray(new JsonObject { ["id"] = recipient, ["username"] = "user" + recipient[^4..], ["discriminator"] = "0", ["global_name"] = null, ["avatar"] = null }),
        });
    }

    /// <summary>The DM channel id of a user; the same on every open, as Discord returns an existing DM.</summary>
    public static string DmChannelId(string userId) => "2" + userId[1..];

    private async Task<Reply> InteractionCallbackAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject();
        var type = body?["type"]?.GetValue<int>() ?? 0;
        if (type is not (1 or 4 or 5 or 6 or 7 or 9))
            return Json(400, new JsonObject { ["message"] = "Invalid Form Body", ["code"] = 50035 });
        if (!_interactions.TryRemove(id, out var createdAt) || DateTimeOffset.UtcNow - createdAt > TimeSpan.FromSeconds(3))
            return Json(404, new JsonObject { ["message"] = "Unknown interaction", ["code"] = 10062 });
        _callbacks.Enqueue((id, type));
        return new Reply(204, null);
    }

    private async Task ServeCdn(HttpContext context, string channelId, string id, string fileName)
    {
        if (!_cdn.TryGetValue(id, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = file.ContentType;
        await context.Response.Body.WriteAsync(file.Content);
    }

    private void RememberInteraction(string body)
    {
        try
        {
            if (JsonNode.Parse(body)?["id"]?.GetValue<string>() is { } id)
                _interactions[id] = DateTimeOffset.UtcNow;
        }
        catch (System.Text.Json.JsonException)
        {
        }
    }

    private static string Epoch(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static Reply Json(int status, JsonObject body) => new(status, body);

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Reply(int Status, JsonObject? Body, IReadOnlyDictionary<string, string>? Headers = null);

    private sealed record Fault(int Status, int Code, string Message, double? RetryAfter, bool Global);
}

public sealed class FakeDiscordOptions
{
    /// <summary>What Hello tells the client; short so tests see several beats.</summary>
    public int HeartbeatIntervalMs { get; set; } = 1000;

    /// <summary>Whether the privileged Message Content intent is enabled on the bot page (else Identify with it closes 4014).</summary>
    public bool MessageContentEnabled { get; set; } = true;

    public int IdentifyBudget { get; set; } = 1000;

    public int MessageBucketLimit { get; set; } = 50;

    public TimeSpan MessageBucketResetAfter { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed record RecordedRequest(string Method, string Path, string Authorization, string UserAgent, string Body, DateTimeOffset At);

public sealed record RecordedUpload(string Field, string FileName, string? ContentType, byte[] Content);

/// <summary>A message the bot posted: where, its text, the whole JSON payload (components, reference) and any files.</summary>
public sealed record FakeDiscordMessage(string Id, string ChannelId, string? Content, JsonObject Payload, IReadOnlyList<RecordedUpload> Files, DateTimeOffset At)
{
    public IReadOnlyList<(string Label, string CustomId)> Buttons =>
        (Payload["components"] as JsonArray ?? [])
        .SelectMany(row => row?["components"] as JsonArray ?? [])
        .Select(b => (b!["label"]!.GetValue<string>(), b["custom_id"]!.GetValue<string>()))
        .ToArray();

    public string? ReplyTo => Payload["message_reference"]?["message_id"]?.GetValue<string>();
}
