using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OneInbox.Infrastructure.Channels.Discord;

internal sealed record DiscordUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("global_name")] string? GlobalName,
    [property: JsonPropertyName("bot")] bool? Bot);

internal sealed record DiscordSessionStartLimit(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("remaining")] int Remaining,
    [property: JsonPropertyName("reset_after")] long ResetAfterMs,
    [property: JsonPropertyName("max_concurrency")] int MaxConcurrency);

internal sealed record DiscordGatewayBot(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("session_start_limit")] DiscordSessionStartLimit? SessionStartLimit);

internal sealed record DiscordCreatedMessage(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("channel_id")] string ChannelId);

internal sealed record DiscordChannel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] int Type);

/// <param name="CustomId">Comes back as the interaction's <c>data.custom_id</c>; 1-100 characters.</param>
internal sealed record DiscordButton(string Label, string CustomId);

internal sealed record DiscordFile(string FileName, string ContentType, Stream Content);

/// <summary>A message to post: text ≤ 2000 characters, buttons (up to 25, five to a row), files, and what it replies to.</summary>
internal sealed record DiscordMessageDraft(
    string? Content,
    IReadOnlyList<DiscordButton> Buttons,
    IReadOnlyList<DiscordFile> Files,
    string? ReplyToMessageId = null,
    string? Nonce = null,
    string? MentionUserId = null);

/// <summary>Discord refused a call; <see cref="Code"/> is its JSON error code (50007, 50013, ...), 0 when none.</summary>
internal sealed class DiscordApiException(HttpStatusCode status, int code, string message)
    : Exception($"Discord answered {(int)status} (code {code}): {message}")
{
    public HttpStatusCode Status { get; } = status;

    public int Code { get; } = code;
}

/// <summary>Discord asked us to wait longer than the client waits in line; the caller should try again after <see cref="RetryAfter"/>.</summary>
internal sealed class DiscordRateLimitedException(TimeSpan retryAfter) : Exception($"Discord rate limit: retry after {retryAfter.TotalSeconds:0.###} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The REST v10 calls an inbox needs (channels.md §3.1, §3.5): who the bot is, where the gateway is,
/// posting messages (buttons as action rows, files as multipart), opening DMs, answering interactions.
/// Every call waits its turn in <see cref="DiscordRateLimits"/>; a 429 is waited out and retried when the wait
/// is short, and handed to the caller as <see cref="DiscordRateLimitedException"/> when it is not.
/// The token never leaves the Authorization header.
/// </summary>
internal sealed class DiscordRestClient(HttpClient http, Uri baseUrl, string token, DiscordRateLimits limits, TimeProvider clock)
{
    public const int MaxContent = 2000;
    public const int MaxButtonsPerRow = 5;
    public const int MaxRows = 5;
    public const int MaxCustomId = 100;
    public const int MaxLabel = 80;

    /// <summary>Longest wait the client sits out itself; longer ones go back to the caller (the outbox reschedules).</summary>
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(5);

    private const int MaxAttempts = 4;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken) =>
        SendAsync<DiscordUser>(HttpMethod.Get, "users/@me", "GET /users/@me", "-", null, cancellationToken);

    public Task<DiscordGatewayBot> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        SendAsync<DiscordGatewayBot>(HttpMethod.Get, "gateway/bot", "GET /gateway/bot", "-", null, cancellationToken);

    /// <summary>Opens (or finds) the DM channel with a user; 50007 if they do not accept DMs from the bot.</summary>
    public Task<DiscordChannel> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync<DiscordChannel>(HttpMethod.Post, "users/@me/channels", "POST /users/@me/channels", "-",
            () => JsonContent.Create(new JsonObject { ["recipient_id"] = userId }), cancellationToken);

    public Task<DiscordCreatedMessage> CreateMessageAsync(string channelId, DiscordMessageDraft draft, CancellationToken cancellationToken) =>
        SendAsync<DiscordCreatedMessage>(HttpMethod.Post, $"channels/{Uri.EscapeDataString(channelId)}/messages", "POST /channels/{id}/messages", channelId,
            () => MessageContent(draft), cancellationToken);

    /// <summary>Answers an interaction (type 6: deferred update, the silent acknowledgement of a button press).</summary>
    public Task RespondToInteractionAsync(string interactionId, string interactionToken, int type, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(HttpMethod.Post, $"interactions/{Uri.EscapeDataString(interactionId)}/{Uri.EscapeDataString(interactionToken)}/callback",
            "POST /interactions/{id}/{token}/callback", interactionId, () => JsonContent.Create(new JsonObject { ["type"] = type }), cancellationToken,
            countsGlobally: false);

    /// <summary>The JSON of a message create body: content, no pings from agent text, the reply, buttons as action rows.</summary>
    internal static JsonObject MessageBody(DiscordMessageDraft draft)
    {
        // Agent text never pings anyone; only the user a server-channel answer is addressed to.
        var mentions = new JsonObject { ["parse"] = new JsonArray() };
        if (draft.MentionUserId is { } user)
            mentions["users"] = new JsonArray(user);
        var body = new JsonObject { ["allowed_mentions"] = mentions };
        if (!string.IsNullOrEmpty(draft.Content))
            body["content"] = draft.Content;
        if (draft.ReplyToMessageId is { } reply)
            body["message_reference"] = new JsonObject { ["message_id"] = reply, ["fail_if_not_exists"] = false };
        if (draft.Nonce is { } nonce)
        {
            body["nonce"] = nonce;
            body["enforce_nonce"] = true;
        }
        if (draft.Buttons.Count > 0)
        {
            var rows = new JsonArray();
            foreach (var chunk in draft.Buttons.Chunk(MaxButtonsPerRow))
            {
                var buttons = new JsonArray();
                foreach (var button in chunk)
                    buttons.Add(new JsonObject { ["type"] = 2, ["style"] = 1, ["label"] = button.Label, ["custom_id"] = button.CustomId });
                rows.Add(new JsonObject { ["type"] = 1, ["components"] = buttons });
            }
            body["components"] = rows;
        }
        if (draft.Files.Count > 0)
        {
            var attachments = new JsonArray();
            for (var i = 0; i < draft.Files.Count; i++)
                attachments.Add(new JsonObject { ["id"] = i, ["filename"] = draft.Files[i].FileName });
            body["attachments"] = attachments;
        }
        return body;
    }

    private static HttpContent MessageContent(DiscordMessageDraft draft)
    {
        var body = MessageBody(draft);
        if (draft.Files.Count == 0)
            return JsonContent.Create(body);
        var multipart = new MultipartFormDataContent();
        var json = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        multipart.Add(json, "payload_json");
        for (var i = 0; i < draft.Files.Count; i++)
        {
            var file = draft.Files[i];
            if (file.Content.CanSeek)
                file.Content.Position = 0;
            var part = new StreamContent(new NonDisposingStream(file.Content));
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
            multipart.Add(part, $"files[{i}]", file.FileName);
        }
        return multipart;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string route, string resource, Func<HttpContent>? content,
        CancellationToken cancellationToken, bool countsGlobally = true)
    {
        var lane = limits.Lane(route, resource);
        await lane.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var wait = limits.DelayBefore(route, resource, clock.GetUtcNow(), countsGlobally);
                if (wait > MaxInlineWait)
                    throw new DiscordRateLimitedException(wait);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, cancellationToken);
                    attempt--;
                    continue;
                }
                using var request = new HttpRequestMessage(method, new Uri(Base(), path)) { Content = content?.Invoke() };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bot", token);
                request.Headers.UserAgent.ParseAdd("DiscordBot (https://github.com/oneinbox/oneinbox, 1.0)");
                using var response = await http.SendAsync(request, cancellationToken);
                var status = (int)response.StatusCode;
                if (status == 429)
                {
                    var limited = await ReadErrorAsync(response, cancellationToken);
                    limits.Observe(route, resource, response.Headers, status, limited.RetryAfter, limited.Global ?? false, clock.GetUtcNow());
                    var retryAfter = TimeSpan.FromSeconds(limited.RetryAfter ?? 1);
                    if (retryAfter > MaxInlineWait || attempt >= MaxAttempts)
                        throw new DiscordRateLimitedException(retryAfter);
                    continue; // DelayBefore now holds the request until the bucket (or everything) may go again
                }
                limits.Observe(route, resource, response.Headers, status, null, false, clock.GetUtcNow());
                if (!response.IsSuccessStatusCode)
                {
                    var error = await ReadErrorAsync(response, cancellationToken);
                    throw new DiscordApiException(response.StatusCode, error.Code ?? 0, error.Message ?? response.ReasonPhrase ?? "error");
                }
                if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(JsonElement?))
                    return default!;
                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                       ?? throw new DiscordApiException(response.StatusCode, 0, "empty response");
            }
        }
        finally
        {
            lane.Release();
        }
    }

    private Uri Base() => baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    private static async Task<DiscordError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<DiscordError>(Json, cancellationToken) ?? new DiscordError(null, null, null, null);
        }
        catch (JsonException)
        {
            return new DiscordError(null, null, null, null);
        }
    }

    private sealed record DiscordError(
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("retry_after")] double? RetryAfter,
        [property: JsonPropertyName("global")] bool? Global);

    /// <summary>Lets a retried multipart request reuse the caller's stream; the caller disposes it.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
