using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace OneInbox.TestFakes;

/// <summary>The gateway half of the fake: sessions with an event log, so a resume replays what a client missed.</summary>
public sealed partial class FakeDiscord
{
    private const int KnownIntents = (1 << 0) | (1 << 1) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15);
    private readonly ConcurrentDictionary<string, GatewaySession> _sessions = new();
    private readonly ConcurrentDictionary<GatewaySocket, bool> _sockets = new();
    private readonly ConcurrentQueue<string> _received = new();
    private GatewaySession? _latest;
    private int _identifies;
    private int _resumes;
    private int _heartbeats;
    private int _connections;
    private int _maxLiveSockets;

    /// <summary>Every frame a client sent, as JSON text (tokens included: only tests read it).</summary>
    public IReadOnlyList<string> ReceivedFrames => _received.ToArray();

    public int IdentifyCount => _identifies;

    public int ResumeCount => _resumes;

    public int HeartbeatCount => _heartbeats;

    public int ConnectionCount => _connections;

    /// <summary>How many identified or resumed sockets were open at once, at most; one per bot is the rule.</summary>
    public int MaxLiveSockets => _maxLiveSockets;

    public int LiveSockets => _sockets.Keys.Count(s => s.Session is not null && s.Socket.State == WebSocketState.Open);

    /// <summary>While true, heartbeats get no op 11: the client should call the connection a zombie.</summary>
    public bool WithholdAcks { get; set; }

    /// <summary>
    /// Sends an event on the newest session with the next sequence number (filtered by its intents, content
    /// blanked without MESSAGE_CONTENT as Discord does), or keeps it for the resume if no socket is attached.
    /// Returns the sequence, or null when the session's intents filter it out.
    /// </summary>
    public Task<long?> DispatchAsync(string eventName, JsonObject data) => DispatchToLatestSessionAsync(eventName, data);

    /// <summary>Waits until the condition over the fake holds (identifies, resumes, heartbeats...).</summary>
    public async Task WaitUntilAsync(Func<FakeDiscord, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition(this))
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"The fake Discord gateway never saw: {what} (identifies {IdentifyCount}, resumes {ResumeCount}, connections {ConnectionCount}).");
            await Task.Delay(20);
        }
    }

    /// <summary>op 7: asks the client to reconnect and resume, then closes the socket as Discord does shortly after.</summary>
    public Task SendReconnectAsync() => ForEachLiveAsync(async s =>
    {
        await s.SendAsync(new JsonObject { ["op"] = 7, ["d"] = null, ["s"] = null, ["t"] = null });
        await Task.Delay(200);
        await s.CloseAsync((WebSocketCloseStatus)4900, "reconnect");
    });

    /// <summary>op 1 from the server: the client must beat at once.</summary>
    public Task RequestHeartbeatAsync() => ForEachLiveAsync(s => s.SendAsync(new JsonObject { ["op"] = 1, ["d"] = null, ["s"] = null, ["t"] = null }));

    /// <summary>op 9; with <paramref name="resumable"/> false the session is forgotten.</summary>
    public Task InvalidateSessionAsync(bool resumable) => ForEachLiveAsync(async s =>
    {
        if (!resumable && s.Session is { } session)
            _sessions.TryRemove(session.Id, out _);
        await s.SendAsync(new JsonObject { ["op"] = 9, ["d"] = resumable, ["s"] = null, ["t"] = null });
    });

    /// <summary>Closes every client socket with a close code (4000, 4004, 4014, ...).</summary>
    public Task CloseAsync(int code) => ForEachLiveAsync(s => s.CloseAsync((WebSocketCloseStatus)code, "closed by the fake"));

    /// <summary>Drops every client's TCP connection without a close frame.</summary>
    public Task DropAsync() => ForEachLiveAsync(s =>
    {
        s.Abort();
        return Task.CompletedTask;
    });

    private async Task ForEachLiveAsync(Func<GatewaySocket, Task> action)
    {
        foreach (var socket in _sockets.Keys.Where(s => s.Socket.State == WebSocketState.Open).ToArray())
        {
            try
            {
                await action(socket);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
            {
                // The socket's connection ended as we spoke: it was not live any more.
            }
        }
    }

    private async Task CloseAllAsync()
    {
        foreach (var socket in _sockets.Keys.ToArray())
            socket.Abort();
        await Task.Yield();
    }

    private async Task HandleGatewayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var socket = new GatewaySocket(ws, context);
        _sockets[socket] = true;
        Interlocked.Increment(ref _connections);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var watchdog = WatchHeartbeatsAsync(socket, stop.Token);
        try
        {
            await socket.SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = Options.HeartbeatIntervalMs }, ["s"] = null, ["t"] = null });
            while (ws.State == WebSocketState.Open)
            {
                var text = await ReceiveTextAsync(ws, stop.Token);
                if (text is null)
                    break;
                _received.Enqueue(text);
                var frame = JsonNode.Parse(text)!.AsObject();
                await HandleFrameAsync(socket, frame);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await watchdog.ContinueWith(_ => { }, TaskScheduler.Default);
            _sockets.TryRemove(socket, out _);
            if (socket.Session is { } session && session.Socket == socket)
                session.Socket = null;
        }
    }

    private async Task HandleFrameAsync(GatewaySocket socket, JsonObject frame)
    {
        var op = frame["op"]?.GetValue<int>() ?? -1;
        switch (op)
        {
            case 1:
                socket.LastBeat = DateTimeOffset.UtcNow;
                Interlocked.Increment(ref _heartbeats);
                if (!WithholdAcks)
                    await socket.SendAsync(new JsonObject { ["op"] = 11, ["d"] = null, ["s"] = null, ["t"] = null });
                return;
            case 2:
                await IdentifyAsync(socket, frame["d"] as JsonObject);
                return;
            case 6:
                await ResumeAsync(socket, frame["d"] as JsonObject);
                return;
            default:
                if (socket.Session is null)
                    await socket.CloseAsync((WebSocketCloseStatus)4003, "Not authenticated.");
                else if (op is not (3 or 4 or 8))
                    await socket.CloseAsync((WebSocketCloseStatus)4001, "Unknown opcode.");
                return;
        }
    }

    private async Task IdentifyAsync(GatewaySocket socket, JsonObject? data)
    {
        Interlocked.Increment(ref _identifies);
        if (socket.Session is not null)
        {
            await socket.CloseAsync((WebSocketCloseStatus)4005, "Already authenticated.");
            return;
        }
        if (data?["token"]?.GetValue<string>() != Token)
        {
            await socket.CloseAsync((WebSocketCloseStatus)4004, "Authentication failed.");
            return;
        }
        var intents = data["intents"]?.GetValue<int>() ?? 0;
        if ((intents & ~KnownIntents) != 0)
        {
            await socket.CloseAsync((WebSocketCloseStatus)4013, "Invalid intent(s).");
            return;
        }
        if ((intents & (1 << 15)) != 0 && !Options.MessageContentEnabled)
        {
            await socket.CloseAsync((WebSocketCloseStatus)4014, "Disallowed intent(s).");
            return;
        }
        var session = new GatewaySession(Guid.NewGuid().ToString("N"), intents);
        _sessions[session.Id] = session;
        _latest = session;
        await session.Gate.WaitAsync();
        try
        {
            session.Socket = socket;
            socket.Session = session;
            NoteLive();
            var ready = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject { ["id"] = BotUserId, ["username"] = BotUsername, ["discriminator"] = "0", ["global_name"] = null, ["avatar"] = null, ["bot"] = true },
                ["guilds"] = new JsonArray(new JsonObject { ["id"] = "1300000000000000100", ["unavailable"] = true }),
                ["session_id"] = session.Id,
                ["resume_gateway_url"] = new Uri(GatewayUrl, "/resume").ToString(),
                ["shard"] = new JsonArray(0, 1),
                ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
            };
            await socket.SendAsync(Frame("READY", ++session.Sequence, ready));
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private async Task ResumeAsync(GatewaySocket socket, JsonObject? data)
    {
        var id = data?["session_id"]?.GetValue<string>();
        if (data?["token"]?.GetValue<string>() != Token)
        {
            await socket.CloseAsync((WebSocketCloseStatus)4004, "Authentication failed.");
            return;
        }
        if (id is null || !_sessions.TryGetValue(id, out var session))
        {
            await socket.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false, ["s"] = null, ["t"] = null });
            return;
        }
        var seq = data["seq"]?.GetValue<long?>() ?? 0;
        Interlocked.Increment(ref _resumes);
        await session.Gate.WaitAsync();
        try
        {
            if (session.Socket is { } old && old != socket)
                old.Abort(); // Discord ends the old connection of a resumed session
            session.Socket = socket;
            socket.Session = session;
            NoteLive();
            foreach (var (sequence, frame) in session.Log.Where(e => e.Sequence > seq))
                await socket.SendAsync(frame);
            await socket.SendAsync(Frame("RESUMED", ++session.Sequence, new JsonObject()));
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private async Task<long?> DispatchToLatestSessionAsync(string eventName, JsonObject data)
    {
        var session = _latest;
        if (session is null || !_sessions.ContainsKey(session.Id))
            return null;
        if (eventName is "MESSAGE_CREATE" or "MESSAGE_UPDATE")
        {
            var guild = data["guild_id"] is not null;
            var needed = guild ? 1 << 9 : 1 << 12;
            if ((session.Intents & needed) == 0)
                return null;
            var mentionsBot = (data["mentions"] as JsonArray)?.Any(m => m?["id"]?.GetValue<string>() == BotUserId) ?? false;
            var own = data["author"]?["id"]?.GetValue<string>() == BotUserId;
            if (guild && !mentionsBot && !own && (session.Intents & (1 << 15)) == 0)
            {
                data["content"] = "";
                data["attachments"] = new JsonArray();
                data["embeds"] = new JsonArray();
                data["components"] = new JsonArray();
            }
        }
        if (eventName == "INTERACTION_CREATE" && data["id"]?.GetValue<string>() is { } interactionId)
            _interactions[interactionId] = DateTimeOffset.UtcNow;
        await session.Gate.WaitAsync();
        try
        {
            var sequence = ++session.Sequence;
            var frame = Frame(eventName, sequence, data);
            session.Log.Add((sequence, frame));
            if (session.Socket is { } socket)
            {
                try
                {
                    await socket.SendAsync(frame);
                }
                catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
                {
                    // The client is gone; the event waits in the log for its resume.
                }
            }
            return sequence;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private async Task DispatchFromControlAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject();
        var name = body?["t"]?.GetValue<string>();
        if (name is null || body!["d"] is not JsonObject data)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var sequence = await DispatchAsync(name, data.DeepClone().AsObject());
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["s"] = sequence }.ToJsonString());
    }

    /// <summary>Discord closes a connection that stops beating (three intervals without op 1: generous, as a client beats at a random point of its first interval and a busy test machine stalls).</summary>
    private async Task WatchHeartbeatsAsync(GatewaySocket socket, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromMilliseconds(Options.HeartbeatIntervalMs * 3);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(50, cancellationToken);
                if (socket.Socket.State != WebSocketState.Open)
                    return;
                if (DateTimeOffset.UtcNow - socket.LastBeat > limit)
                {
                    if (socket.Session is { } session)
                        _sessions.TryRemove(session.Id, out _);
                    await socket.CloseAsync((WebSocketCloseStatus)4009, "Session timed out.");
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private void NoteLive()
    {
        var live = LiveSockets;
        int max;
        while (live > (max = _maxLiveSockets) && Interlocked.CompareExchange(ref _maxLiveSockets, live, max) != max)
        {
        }
    }

    private static JsonObject Frame(string name, long sequence, JsonObject data) =>
        new() { ["op"] = 0, ["s"] = sequence, ["t"] = name, ["d"] = data };

    private static async Task<string?> ReceiveTextAsync(WebSocket ws, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    private sealed class GatewaySession(string id, int intents)
    {
        public string Id { get; } = id;

        public int Intents { get; } = intents;

        public long Sequence { get; set; }

        public List<(long Sequence, JsonObject Frame)> Log { get; } = [];

        public GatewaySocket? Socket { get; set; }

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private sealed class GatewaySocket(WebSocket socket, HttpContext context)
    {
        private readonly SemaphoreSlim _sending = new(1, 1);

        public WebSocket Socket { get; } = socket;

        public HttpContext Context { get; } = context;

        public GatewaySession? Session { get; set; }

        public DateTimeOffset LastBeat { get; set; } = DateTimeOffset.UtcNow;

        /// <summary>Drops the TCP connection without a close frame; a socket already gone is left alone.</summary>
        public void Abort()
        {
            try
            {
                Context.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public async Task SendAsync(JsonObject frame)
        {
            var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
            await _sending.WaitAsync();
            try
            {
                if (Socket.State == WebSocketState.Open)
                    await Socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _sending.Release();
            }
        }

        public async Task CloseAsync(WebSocketCloseStatus code, string reason)
        {
            await _sending.WaitAsync();
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await Socket.CloseOutputAsync(code, reason, timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                Abort();
            }
            finally
            {
                _sending.Release();
            }
        }
    }
}
