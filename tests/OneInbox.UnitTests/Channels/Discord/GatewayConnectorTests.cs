using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Infrastructure.Channels.Discord;
using OneInbox.TestFakes;

namespace OneInbox.UnitTests.Channels.Discord;

/// <summary>The connector over a real WebSocket against the fake gateway: the scripted situations of channels.md §4.4.</summary>
public sealed class GatewayConnectorTests : IAsyncLifetime
{
    private FakeDiscord _fake = null!;
    private readonly Receiver _receiver = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private GatewaySession _session = null!;
    private Task<GatewayStopped>? _run;

    public async Task InitializeAsync() => _fake = await FakeDiscord.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 400 });

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
            await _run.ContinueWith(_ => { }, TaskScheduler.Default);
        await _fake.DisposeAsync();
        _stop.Dispose();
    }

    private void Start(string token = FakeDiscord.DefaultToken)
    {
        _session = new GatewaySession(token, GatewayIntents.Inbox, new Random(7));
        var connector = new GatewayConnector(_session, _fake.GatewayUrl, _receiver, new IdentifyBudget(), TimeProvider.System);
        _run = connector.RunAsync(_stop.Token);
    }

    private static JsonObject DirectMessage(string id, string content) => new()
    {
        ["id"] = id, ["channel_id"] = "2300000000000000003", ["channel_type"] = 1, ["type"] = 0, ["content"] = content,
        ["author"] = new JsonObject { ["id"] = "1300000000000000003", ["username"] = "maria.l", ["discriminator"] = "0", ["global_name"] = "Maria" },
        ["timestamp"] = "2026-01-01T00:05:00.123000+00:00", ["attachments"] = new JsonArray(), ["mentions"] = new JsonArray(),
    };

    private async Task<List<string>> SendMessagesAsync(int from, int count)
    {
        var ids = new List<string>();
        for (var i = from; i < from + count; i++)
        {
            var id = "13000000000000050" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            ids.Add(id);
            await _fake.DispatchAsync("MESSAGE_CREATE", DirectMessage(id, "hello " + i));
        }
        return ids;
    }

    [Fact]
    public async Task Hello_heartbeat_identify_with_37377_ready_then_dispatches_arrive_in_order()
    {
        Start();
        await _receiver.WaitLiveAsync(1);
        var ids = await SendMessagesAsync(0, 3);
        await _receiver.WaitForAsync(3);
        await _fake.WaitUntilAsync(f => f.HeartbeatCount >= 2, "two heartbeats");

        var identify = JsonDocument.Parse(_fake.ReceivedFrames.First(f => f.Contains("\"op\":2", StringComparison.Ordinal))).RootElement;
        Assert.Equal(37377, identify.GetProperty("d").GetProperty("intents").GetInt32());
        Assert.Equal(ids, _receiver.MessageIds);
        Assert.Equal(FakeDiscord.BotUserId, _session.BotUserId);
        Assert.Equal(4, _session.Sequence);
    }

    [Fact]
    public async Task Op_7_reconnects_to_the_resume_url_and_the_events_sent_meanwhile_are_replayed()
    {
        Start();
        await _receiver.WaitLiveAsync(1);
        await SendMessagesAsync(0, 2);
        await _receiver.WaitForAsync(2);

        await _fake.SendReconnectAsync();
        await SendMessagesAsync(2, 2); // may land before the resume: kept in the session's log
        await _fake.WaitUntilAsync(f => f.ResumeCount == 1, "a resume");
        await _receiver.WaitForAsync(4);

        Assert.Equal(1, _fake.IdentifyCount);
        Assert.Equal(4, _receiver.MessageIds.Distinct().Count());
        Assert.Equal(4, _receiver.MessageIds.Count);
    }

    [Fact]
    public async Task A_dropped_connection_mid_stream_resumes_without_losing_or_duplicating_messages()
    {
        Start();
        await _receiver.WaitLiveAsync(1);
        await SendMessagesAsync(0, 5);
        await _fake.DropAsync();
        await SendMessagesAsync(5, 5);
        await _fake.WaitUntilAsync(f => f.ResumeCount >= 1, "a resume");
        await SendMessagesAsync(10, 5);
        await _receiver.WaitForAsync(15);
        await Task.Delay(300);

        Assert.Equal(15, _receiver.MessageIds.Count);
        Assert.Equal(15, _receiver.MessageIds.Distinct().Count());
        Assert.Equal(1, _fake.IdentifyCount);
    }

    [Fact]
    public async Task An_event_whose_storing_failed_is_replayed_after_the_reconnect()
    {
        _receiver.FailOnce = "1300000000000005001";
        Start();
        await _receiver.WaitLiveAsync(1);
        await SendMessagesAsync(0, 3);
        await _receiver.WaitForAsync(3);

        Assert.Equal(["1300000000000005000", "1300000000000005001", "1300000000000005002"], _receiver.MessageIds);
    }

    [Fact]
    public async Task A_connection_whose_heartbeats_get_no_ack_is_called_a_zombie_and_resumed()
    {
        Start();
        await _receiver.WaitLiveAsync(1);
        _fake.WithholdAcks = true;
        await _receiver.WaitReconnectAsync(r => r.Contains("zombie", StringComparison.Ordinal));
        _fake.WithholdAcks = false;
        await _fake.WaitUntilAsync(f => f.ResumeCount >= 1, "a resume after the zombie");
        await SendMessagesAsync(0, 1);
        await _receiver.WaitForAsync(1);

        Assert.Equal(1, _fake.IdentifyCount);
    }

    [Fact]
    public async Task A_heartbeat_request_is_answered_at_once()
    {
        // A long interval, so the beat that answers the request cannot be the next regular one.
        await _fake.DisposeAsync();
        _fake = await FakeDiscord.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 4000 });
        Start();
        await _receiver.WaitLiveAsync(1);
        await _fake.WaitUntilAsync(f => f.HeartbeatCount >= 1, "the first beat");
        var before = _fake.HeartbeatCount;

        await _fake.RequestHeartbeatAsync();

        await _fake.WaitUntilAsync(f => f.HeartbeatCount > before, "a beat on request", TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task Invalid_session_that_cannot_resume_identifies_afresh()
    {
        Start();
        await _receiver.WaitLiveAsync(1);

        await _fake.InvalidateSessionAsync(resumable: false);

        await _receiver.WaitLiveAsync(2, TimeSpan.FromSeconds(10));
        Assert.Equal(2, _fake.IdentifyCount);
        Assert.Equal(0, _fake.ResumeCount);
    }

    [Fact]
    public async Task Close_4000_resumes()
    {
        Start();
        await _receiver.WaitLiveAsync(1);

        await _fake.CloseAsync(4000);

        await _fake.WaitUntilAsync(f => f.ResumeCount == 1, "a resume");
        Assert.Equal(1, _fake.IdentifyCount);
    }

    [Fact]
    public async Task A_refused_token_closes_with_4004_and_stops_the_connector_with_the_reason()
    {
        Start(token: "wrong-token");

        var stopped = await _run!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4004, stopped.CloseCode);
        Assert.Contains("authentication failed", stopped.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _fake.IdentifyCount);
    }

    [Fact]
    public async Task Message_content_intent_not_enabled_closes_with_4014_and_stops()
    {
        await _fake.DisposeAsync();
        _fake = await FakeDiscord.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 400, MessageContentEnabled = false });
        Start();

        var stopped = await _run!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4014, stopped.CloseCode);
    }

    [Fact]
    public async Task A_session_restored_from_storage_resumes_instead_of_identifying()
    {
        Start();
        await _receiver.WaitLiveAsync(1);
        await SendMessagesAsync(0, 2);
        await _receiver.WaitForAsync(2);
        var (id, url, seq) = (_session.SessionId, _session.ResumeGatewayUrl, _session.Sequence);
        await _stop.CancelAsync();
        await _run!.ContinueWith(_ => { }, TaskScheduler.Default);
        await SendMessagesAsync(2, 2); // while nobody is connected

        using var again = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = new GatewaySession(FakeDiscord.DefaultToken, GatewayIntents.Inbox, new Random(3));
        session.Restore(id, url, seq, FakeDiscord.BotUserId);
        var run = new GatewayConnector(session, _fake.GatewayUrl, _receiver, new IdentifyBudget(), TimeProvider.System).RunAsync(again.Token);
        await _receiver.WaitForAsync(4);
        await again.CancelAsync();
        await run.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal(1, _fake.IdentifyCount);
        Assert.Equal(1, _fake.ResumeCount);
        Assert.Equal(4, _receiver.MessageIds.Distinct().Count());
    }

    private sealed class Receiver : IGatewayReceiver
    {
        private readonly ConcurrentQueue<string> _ids = new();
        private readonly ConcurrentQueue<string> _reconnects = new();
        private int _live;

        public string? FailOnce { get; set; }

        public List<string> MessageIds => [.. _ids];

        public ValueTask ReceiveAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
        {
            if (dispatch.EventName != "MESSAGE_CREATE")
                return ValueTask.CompletedTask;
            var id = JsonDocument.Parse(dispatch.Json).RootElement.GetProperty("id").GetString()!;
            if (id == FailOnce)
            {
                FailOnce = null;
                throw new IOException("the database went away");
            }
            _ids.Enqueue(id);
            return ValueTask.CompletedTask;
        }

        public ValueTask LiveAsync(GatewaySession session, bool resumed, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _live);
            return ValueTask.CompletedTask;
        }

        public ValueTask ReconnectingAsync(GatewaySession session, string reason, CancellationToken cancellationToken)
        {
            _reconnects.Enqueue(reason);
            return ValueTask.CompletedTask;
        }

        public Task WaitLiveAsync(int times, TimeSpan? timeout = null) => Until(() => Volatile.Read(ref _live) >= times, $"{times} READY", timeout);

        public Task WaitForAsync(int messages) => Until(() => _ids.Count >= messages, $"{messages} messages (have {_ids.Count})");

        public Task WaitReconnectAsync(Func<string, bool> match) => Until(() => _reconnects.Any(match), "a reconnect");

        private static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
        {
            var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
            while (!condition())
            {
                if (DateTimeOffset.UtcNow > deadline)
                    throw new TimeoutException("Never saw " + what);
                await Task.Delay(20);
            }
        }
    }
}
