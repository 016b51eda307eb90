using System.Buffers;
using System.Net.WebSockets;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>Where the connector hands what it learns; the gateway host implements it for one connection.</summary>
internal interface IGatewayReceiver
{
    /// <summary>Stores the event durably; only when this returns does its sequence count as handled.</summary>
    ValueTask ReceiveAsync(GatewayDispatch dispatch, CancellationToken cancellationToken);

    /// <summary>The session is live (READY or RESUMED); the session fields are what a takeover would resume.</summary>
    ValueTask LiveAsync(GatewaySession session, bool resumed, CancellationToken cancellationToken);

    /// <summary>The connection dropped and the connector reconnects; the reason is for health and logs.</summary>
    ValueTask ReconnectingAsync(GatewaySession session, string reason, CancellationToken cancellationToken);
}

/// <summary>How a connector run ended.</summary>
internal sealed record GatewayStopped(int? CloseCode, string Reason);

/// <summary>
/// Runs one bot's gateway session over <see cref="ClientWebSocket"/>: connects (to the resume URL when it
/// can resume), does what <see cref="GatewaySession"/> decides, beats on a timer, and reconnects until the
/// session says stop or the caller cancels. Frames go out one at a time within the 120-per-minute limit.
/// </summary>
internal sealed class GatewayConnector(
    GatewaySession session,
    Uri gatewayUrl,
    IGatewayReceiver receiver,
    IdentifyBudget identifyBudget,
    TimeProvider clock,
    Func<ClientWebSocket>? socketFactory = null)
{
    /// <summary>A close code outside 1000/1001, so Discord keeps the session resumable.</summary>
    private const WebSocketCloseStatus ResumableClose = (WebSocketCloseStatus)4900;

    private readonly GatewaySendLimit _sendLimit = new();

    // The heartbeat timer and the receive loop both move the session; each move is short and never awaits.
    private readonly Lock _sessionGate = new();

    public Uri GatewayUrl { get; set; } = gatewayUrl;

    public async Task<GatewayStopped> RunAsync(CancellationToken cancellationToken)
    {
        var resume = session.CanResume;
        var delay = TimeSpan.Zero;
        while (true)
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, clock, cancellationToken);
            var outcome = await RunOnceAsync(resume, cancellationToken);
            switch (outcome)
            {
                case GatewayStep.Stop stop:
                    return new GatewayStopped(stop.CloseCode, stop.Reason);
                case GatewayStep.Reconnect again:
                    resume = again.Resume;
                    delay = again.Delay;
                    await receiver.ReconnectingAsync(session, again.Reason, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>One socket's life; returns the Reconnect or Stop step that ended it.</summary>
    private async Task<GatewayStep> RunOnceAsync(bool resume, CancellationToken cancellationToken)
    {
        if (!resume || !session.CanResume)
        {
            resume = false;
            for (var wait = identifyBudget.TryTake(clock.GetUtcNow()); wait > TimeSpan.Zero; wait = identifyBudget.TryTake(clock.GetUtcNow()))
                await Task.Delay(wait, clock, cancellationToken);
        }
        var baseUrl = resume ? new Uri(session.ResumeGatewayUrl!) : GatewayUrl;
        using var socket = socketFactory?.Invoke() ?? new ClientWebSocket();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var connection = new Connection(socket, _sendLimit, clock);
        try
        {
            await socket.ConnectAsync(WithQuery(baseUrl), attempt.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException)
        {
            return session.OnClosed(null);
        }
        session.Connected(resume);
        Task? heartbeat = null;
        try
        {
            while (true)
            {
                byte[]? frame;
                try
                {
                    frame = await connection.ReceiveAsync(attempt.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    return connection.Abandoned ?? session.OnClosed(null);
                }
                if (frame is null)
                    return connection.Abandoned ?? session.OnClosed((int?)socket.CloseStatus);
                IReadOnlyList<GatewayStep> steps;
                lock (_sessionGate)
                    steps = session.OnFrame(GatewayFrame.Parse(frame));
                foreach (var step in steps)
                {
                    switch (step)
                    {
                        case GatewayStep.Send send:
                            await connection.SendAsync(send.Payload, send.IsHeartbeat, attempt.Token);
                            break;
                        case GatewayStep.StartHeartbeat start:
                            heartbeat ??= BeatAsync(connection, start, attempt);
                            break;
                        case GatewayStep.Deliver deliver:
                            try
                            {
                                await receiver.ReceiveAsync(deliver.Dispatch, cancellationToken);
                            }
                            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                            {
                                // Not stored, so not handled: reconnect and resume from the last stored event, which
                                // makes Discord send this one again.
                                await connection.CloseAsync(ResumableClose, "reconnect");
                                lock (_sessionGate)
                                    return session.OnReceiverFailed(ex.GetType().Name);
                            }
                            lock (_sessionGate)
                                session.Handled(deliver.Dispatch.Sequence);
                            break;
                        case GatewayStep.Live live:
                            await receiver.LiveAsync(session, live.Resumed, cancellationToken);
                            break;
                        case GatewayStep.Reconnect or GatewayStep.Stop:
                            await connection.CloseAsync(ResumableClose, "reconnect");
                            return step;
                    }
                }
            }
        }
        finally
        {
            await attempt.CancelAsync();
            if (heartbeat is not null)
                await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);
            if (cancellationToken.IsCancellationRequested)
                await connection.CloseAsync(ResumableClose, "shutdown");
        }
    }

    private async Task BeatAsync(Connection connection, GatewayStep.StartHeartbeat start, CancellationTokenSource attempt)
    {
        try
        {
            await Task.Delay(start.FirstDelay, clock, attempt.Token);
            while (!attempt.IsCancellationRequested)
            {
                GatewayStep step;
                lock (_sessionGate)
                    step = session.HeartbeatDue();
                if (step is GatewayStep.Send send)
                {
                    await connection.SendAsync(send.Payload, heartbeat: true, attempt.Token);
                }
                else
                {
                    // A zombie: drop the socket without a close handshake the other side may never answer.
                    connection.Abandon(step);
                    return;
                }
                await Task.Delay(start.Interval, clock, attempt.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            connection.Abandon(null);
        }
    }

    private static Uri WithQuery(Uri url)
    {
        var builder = new UriBuilder(url) { Query = "v=10&encoding=json" };
        return builder.Uri;
    }

    /// <summary>One open socket: serialised sends within the rate limit, whole-message receives.</summary>
    private sealed class Connection(ClientWebSocket socket, GatewaySendLimit limit, TimeProvider clock) : IDisposable
    {
        private readonly SemaphoreSlim _sending = new(1, 1);

        /// <summary>Set when the heartbeat gave up on the socket; the receive loop returns it instead of a close decision.</summary>
        public GatewayStep? Abandoned { get; private set; }

        public void Abandon(GatewayStep? step)
        {
            Abandoned ??= step;
            socket.Abort();
        }

        public async Task SendAsync(byte[] payload, bool heartbeat, CancellationToken cancellationToken)
        {
            for (var wait = limit.TryTake(clock.GetUtcNow(), heartbeat); wait > TimeSpan.Zero; wait = limit.TryTake(clock.GetUtcNow(), heartbeat))
                await Task.Delay(wait, clock, cancellationToken);
            await _sending.WaitAsync(cancellationToken);
            try
            {
                await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sending.Release();
            }
        }

        /// <summary>The next whole text message, or null when the server closed the socket.</summary>
        public async Task<byte[]?> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                using var message = new MemoryStream();
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                        return null;
                    message.Write(buffer, 0, result.Count);
                    if (result.EndOfMessage)
                        return message.ToArray();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public void Dispose() => _sending.Dispose();

        public async Task CloseAsync(WebSocketCloseStatus status, string description)
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                return;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, description, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                socket.Abort();
            }
        }
    }
}
