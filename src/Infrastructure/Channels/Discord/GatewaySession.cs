namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>What the connector must do next, as the session decides it from a frame, a heartbeat tick or a close.</summary>
internal abstract record GatewayStep
{
    private GatewayStep()
    {
    }

    public sealed record Send(byte[] Payload, bool IsHeartbeat = false) : GatewayStep;

    /// <summary>Start beating: the first beat after <paramref name="FirstDelay"/> (interval × jitter), then every interval.</summary>
    public sealed record StartHeartbeat(TimeSpan Interval, TimeSpan FirstDelay) : GatewayStep;

    /// <summary>Hand the event to the receiver; only after it is stored durably does its sequence count (<see cref="GatewaySession.Handled"/>).</summary>
    public sealed record Deliver(GatewayDispatch Dispatch) : GatewayStep;

    /// <summary>READY or RESUMED arrived: the session is live.</summary>
    public sealed record Live(bool Resumed) : GatewayStep;

    /// <summary>Close this connection (with a code other than 1000/1001, which would end the session) and connect again.</summary>
    public sealed record Reconnect(bool Resume, TimeSpan Delay, string Reason) : GatewayStep;

    /// <summary>Reconnecting cannot help: stop the connector and show the reason to the operator.</summary>
    public sealed record Stop(int? CloseCode, string Reason) : GatewayStep;
}

/// <summary>
/// The Discord gateway protocol as a state machine without I/O (channels.md §3.2): the connector feeds it
/// frames, heartbeat ticks and closes, and does the steps it returns. Holding no socket makes every rule
/// (jitter, zombie detection, op 7/9, the close-code table, back-off) testable one by one.
/// The sequence it resumes from is the last one the receiver reported stored, not the last one seen, so an
/// event lost in a crash between receiving and storing is replayed rather than skipped.
/// </summary>
internal sealed class GatewaySession(string token, int intents, Random random)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private bool _awaitingAck;
    private bool _resuming;
    private int _failures;

    public string? SessionId { get; private set; }

    public string? ResumeGatewayUrl { get; private set; }

    public string? BotUserId { get; private set; }

    /// <summary>The last sequence whose event is stored; heartbeats and resumes carry it.</summary>
    public long? Sequence { get; private set; }

    public TimeSpan HeartbeatInterval { get; private set; }

    public bool CanResume => SessionId is not null && ResumeGatewayUrl is not null;

    /// <summary>Picks up a session another node (or an earlier run) left, so the next connect resumes it.</summary>
    public void Restore(string? sessionId, string? resumeGatewayUrl, long? sequence, string? botUserId)
    {
        SessionId = sessionId;
        ResumeGatewayUrl = resumeGatewayUrl;
        Sequence = sequence;
        BotUserId = botUserId;
    }

    /// <summary>A new socket is open; <paramref name="resume"/> says whether it was opened to resume.</summary>
    public void Connected(bool resume)
    {
        _resuming = resume && CanResume;
        _awaitingAck = false;
    }

    public IReadOnlyList<GatewayStep> OnFrame(GatewayFrame frame)
    {
        switch (frame.Op)
        {
            case GatewayOp.Hello:
                HeartbeatInterval = TimeSpan.FromMilliseconds(frame.Data.GetProperty("heartbeat_interval").GetDouble());
                var first = TimeSpan.FromMilliseconds(HeartbeatInterval.TotalMilliseconds * random.NextDouble());
                var hello = _resuming
                    ? GatewayPayloads.Resume(token, SessionId!, Sequence)
                    : GatewayPayloads.Identify(token, intents);
                return [new GatewayStep.StartHeartbeat(HeartbeatInterval, first), new GatewayStep.Send(hello)];
            case GatewayOp.HeartbeatAck:
                _awaitingAck = false;
                return [];
            case GatewayOp.Heartbeat:
                // Discord asks for a beat now; it does not replace the scheduled ones.
                return [new GatewayStep.Send(GatewayPayloads.Heartbeat(Sequence), IsHeartbeat: true)];
            case GatewayOp.Reconnect:
                return [new GatewayStep.Reconnect(CanResume, TimeSpan.Zero, "Discord asked to reconnect (op 7)")];
            case GatewayOp.InvalidSession:
                var resumable = frame.Data.ValueKind == System.Text.Json.JsonValueKind.True && CanResume;
                if (!resumable)
                    ForgetSession();
                // Our policy: wait 1-5 s so a flapping session does not burn the Identify budget.
                var pause = TimeSpan.FromMilliseconds(1000 + (random.NextDouble() * 4000));
                return [new GatewayStep.Reconnect(resumable, pause, resumable ? "invalid session, resumable (op 9)" : "invalid session (op 9)")];
            case GatewayOp.Dispatch:
                return OnDispatch(frame);
            default:
                return [];
        }
    }

    private IReadOnlyList<GatewayStep> OnDispatch(GatewayFrame frame)
    {
        var name = frame.EventName ?? string.Empty;
        if (name == "READY")
        {
            SessionId = frame.Data.GetProperty("session_id").GetString();
            ResumeGatewayUrl = frame.Data.TryGetProperty("resume_gateway_url", out var url) ? url.GetString() : null;
            BotUserId = frame.Data.GetProperty("user").GetProperty("id").GetString();
            _failures = 0;
            if (frame.Sequence is { } s)
                Sequence = s;
            return [new GatewayStep.Live(Resumed: false)];
        }
        if (name == "RESUMED")
        {
            _failures = 0;
            return [new GatewayStep.Live(Resumed: true)];
        }
        if (frame.Sequence is not { } sequence)
            return [];
        if (Sequence is { } handled && sequence <= handled)
            return []; // a replayed event we already stored
        return [new GatewayStep.Deliver(new GatewayDispatch(name, sequence, frame.Data.GetRawText()))];
    }

    /// <summary>The receiver stored the event with this sequence durably.</summary>
    public void Handled(long sequence)
    {
        if (Sequence is not { } current || sequence > current)
            Sequence = sequence;
    }

    /// <summary>
    /// The heartbeat timer fired. If the previous beat was never acknowledged the connection is a zombie:
    /// reconnect and resume rather than beat into the void.
    /// </summary>
    public GatewayStep HeartbeatDue()
    {
        if (_awaitingAck)
            return new GatewayStep.Reconnect(CanResume, TimeSpan.Zero, "no heartbeat ACK (zombie connection)");
        _awaitingAck = true;
        return new GatewayStep.Send(GatewayPayloads.Heartbeat(Sequence), IsHeartbeat: true);
    }

    /// <summary>Storing an event failed: resume from the last stored one after a back-off, so it comes again.</summary>
    public GatewayStep OnReceiverFailed(string failure) =>
        new GatewayStep.Reconnect(CanResume, Backoff(++_failures), "storing an event failed: " + failure);

    /// <summary>The socket closed (code null: dropped without a close frame) or failed to open.</summary>
    public GatewayStep OnClosed(int? closeCode)
    {
        var action = GatewayCloseCodes.Decide(closeCode);
        if (action == CloseAction.Stop)
            return new GatewayStep.Stop(closeCode, $"Discord closed the gateway with {closeCode}: {GatewayCloseCodes.Describe(closeCode)}");
        if (action == CloseAction.NewSession)
            ForgetSession();
        var delay = Backoff(_failures++);
        var reason = closeCode is null ? "gateway connection dropped" : $"gateway closed with {closeCode} ({GatewayCloseCodes.Describe(closeCode)})";
        return new GatewayStep.Reconnect(CanResume, delay, reason);
    }

    /// <summary>Exponential back-off for reconnect loops: nothing before the first retry, then 1 s, 2 s, ... up to a minute, with jitter.</summary>
    private TimeSpan Backoff(int failuresSoFar)
    {
        if (failuresSoFar == 0)
            return TimeSpan.Zero;
        var ms = Math.Min(MaxBackoff.TotalMilliseconds, FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failuresSoFar - 1, 16)));
        return TimeSpan.FromMilliseconds(ms * (0.75 + (random.NextDouble() * 0.25)));
    }

    private void ForgetSession()
    {
        SessionId = null;
        ResumeGatewayUrl = null;
        Sequence = null;
    }
}
