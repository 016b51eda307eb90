using System.Text;
using System.Text.Json;
using OneInbox.Infrastructure.Channels.Discord;

namespace OneInbox.UnitTests.Channels.Discord;

/// <summary>The gateway protocol rules of channels.md §3.2, one by one, without a socket.</summary>
public class GatewaySessionTests
{
    private const string Token = "bot-token";

    private static GatewayFrame Frame(string json) => GatewayFrame.Parse(Encoding.UTF8.GetBytes(json));

    private static GatewaySession NewSession(double jitter = 0.5) => new(Token, GatewayIntents.Inbox, new FixedRandom(jitter));

    private static GatewaySession ReadySession()
    {
        var session = NewSession();
        session.Connected(resume: false);
        session.OnFrame(Frame("""{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"""));
        session.OnFrame(Frame("""{"op":0,"s":1,"t":"READY","d":{"v":10,"user":{"id":"1300000000000000001","bot":true},"session_id":"abc","resume_gateway_url":"wss://resume.example","guilds":[]}}"""));
        return session;
    }

    private static JsonElement Sent(GatewayStep step) => JsonDocument.Parse(((GatewayStep.Send)step).Payload).RootElement;

    [Theory]
    [InlineData(4000, "Resume")]
    [InlineData(4001, "Resume")]
    [InlineData(4002, "Resume")]
    [InlineData(4003, "Resume")]
    [InlineData(4004, "Stop")]
    [InlineData(4005, "Resume")]
    [InlineData(4007, "NewSession")]
    [InlineData(4008, "Resume")]
    [InlineData(4009, "NewSession")]
    [InlineData(4010, "Stop")]
    [InlineData(4011, "Stop")]
    [InlineData(4012, "Stop")]
    [InlineData(4013, "Stop")]
    [InlineData(4014, "Stop")]
    [InlineData(1006, "Resume")]
    [InlineData(null, "Resume")]
    public void Every_row_of_the_close_code_table_decides_resume_new_session_or_stop(int? code, string expectedName)
    {
        var expected = Enum.Parse<CloseAction>(expectedName);
        Assert.Equal(expected, GatewayCloseCodes.Decide(code));

        var session = ReadySession();
        var step = session.OnClosed(code);
        switch (expected)
        {
            case CloseAction.Stop:
                var stop = Assert.IsType<GatewayStep.Stop>(step);
                Assert.Equal(code, stop.CloseCode);
                Assert.Contains(code!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), stop.Reason, StringComparison.Ordinal);
                break;
            case CloseAction.Resume:
                Assert.True(Assert.IsType<GatewayStep.Reconnect>(step).Resume);
                Assert.Equal("abc", session.SessionId);
                break;
            case CloseAction.NewSession:
                Assert.False(Assert.IsType<GatewayStep.Reconnect>(step).Resume);
                Assert.Null(session.SessionId);
                break;
        }
    }

    [Fact]
    public void The_stop_reason_for_4014_tells_the_operator_to_enable_the_message_content_intent()
    {
        var stop = Assert.IsType<GatewayStep.Stop>(ReadySession().OnClosed(4014));
        Assert.Contains("Message Content intent", stop.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hello_starts_the_heartbeat_after_interval_times_jitter_and_identifies_with_the_inbox_intents()
    {
        var session = NewSession(jitter: 0.25);
        session.Connected(resume: false);

        var steps = session.OnFrame(Frame("""{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"""));

        var start = Assert.IsType<GatewayStep.StartHeartbeat>(steps[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(41250), start.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(41250 * 0.25), start.FirstDelay);
        var identify = Sent(steps[1]);
        Assert.Equal(2, identify.GetProperty("op").GetInt32());
        Assert.Equal(37377, identify.GetProperty("d").GetProperty("intents").GetInt32());
        Assert.Equal(Token, identify.GetProperty("d").GetProperty("token").GetString());
    }

    [Fact]
    public void Ready_keeps_the_session_id_the_resume_url_and_the_bot_user_id()
    {
        var session = ReadySession();

        Assert.Equal("abc", session.SessionId);
        Assert.Equal("wss://resume.example", session.ResumeGatewayUrl);
        Assert.Equal("1300000000000000001", session.BotUserId);
        Assert.Equal(1, session.Sequence);
    }

    [Fact]
    public void A_dispatch_counts_as_handled_only_when_the_receiver_says_it_is_stored()
    {
        var session = ReadySession();

        var steps = session.OnFrame(Frame("""{"op":0,"s":2,"t":"MESSAGE_CREATE","d":{"id":"m1"}}"""));

        var deliver = Assert.IsType<GatewayStep.Deliver>(Assert.Single(steps));
        Assert.Equal(2, deliver.Dispatch.Sequence);
        Assert.Equal("MESSAGE_CREATE", deliver.Dispatch.EventName);
        Assert.Equal(1, session.Sequence);
        Assert.Equal(1, Sent(session.HeartbeatDue()).GetProperty("d").GetInt64());

        session.Handled(2);
        Assert.Equal(2, session.Sequence);
    }

    [Fact]
    public void A_replayed_event_already_stored_is_not_delivered_twice()
    {
        var session = ReadySession();
        session.Handled(5);

        Assert.Empty(session.OnFrame(Frame("""{"op":0,"s":4,"t":"MESSAGE_CREATE","d":{"id":"m1"}}""")));
        Assert.Single(session.OnFrame(Frame("""{"op":0,"s":6,"t":"MESSAGE_CREATE","d":{"id":"m2"}}""")));
    }

    [Fact]
    public void A_heartbeat_without_an_ack_since_the_previous_one_marks_a_zombie_and_resumes()
    {
        var session = ReadySession();

        Assert.IsType<GatewayStep.Send>(session.HeartbeatDue());
        session.OnFrame(Frame("""{"op":11,"d":null,"s":null,"t":null}"""));
        Assert.IsType<GatewayStep.Send>(session.HeartbeatDue());
        var zombie = Assert.IsType<GatewayStep.Reconnect>(session.HeartbeatDue());

        Assert.True(zombie.Resume);
        Assert.Contains("zombie", zombie.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_heartbeat_request_from_discord_is_answered_at_once_with_the_last_sequence()
    {
        var session = ReadySession();

        var beat = Sent(Assert.Single(session.OnFrame(Frame("""{"op":1,"d":null,"s":null,"t":null}"""))));

        Assert.Equal(1, beat.GetProperty("op").GetInt32());
        Assert.Equal(1, beat.GetProperty("d").GetInt64());
    }

    [Fact]
    public void Op_7_reconnects_at_once_and_resumes()
    {
        var step = Assert.IsType<GatewayStep.Reconnect>(Assert.Single(ReadySession().OnFrame(Frame("""{"op":7,"d":null,"s":null,"t":null}"""))));

        Assert.True(step.Resume);
        Assert.Equal(TimeSpan.Zero, step.Delay);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Op_9_resumes_or_identifies_afresh_after_one_to_five_seconds(bool resumable)
    {
        var session = ReadySession();

        var step = Assert.IsType<GatewayStep.Reconnect>(Assert.Single(session.OnFrame(Frame($$"""{"op":9,"d":{{(resumable ? "true" : "false")}},"s":null,"t":null}"""))));

        Assert.Equal(resumable, step.Resume);
        Assert.InRange(step.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(resumable, session.CanResume);
    }

    [Fact]
    public void A_resumed_connection_sends_resume_with_the_session_and_the_stored_sequence_instead_of_identify()
    {
        var session = NewSession();
        session.Restore("saved-session", "wss://resume.example", 41, "1300000000000000001");
        session.Connected(resume: true);

        var steps = session.OnFrame(Frame("""{"op":10,"d":{"heartbeat_interval":1000},"s":null,"t":null}"""));

        var resume = Sent(steps[1]);
        Assert.Equal(6, resume.GetProperty("op").GetInt32());
        Assert.Equal("saved-session", resume.GetProperty("d").GetProperty("session_id").GetString());
        Assert.Equal(41, resume.GetProperty("d").GetProperty("seq").GetInt64());
        Assert.True(Assert.IsType<GatewayStep.Live>(Assert.Single(session.OnFrame(Frame("""{"op":0,"s":45,"t":"RESUMED","d":{}}""")))).Resumed);
    }

    [Fact]
    public void Reconnect_loops_back_off_exponentially_and_a_live_session_resets_the_back_off()
    {
        var session = ReadySession();

        var delays = Enumerable.Range(0, 6).Select(_ => ((GatewayStep.Reconnect)session.OnClosed(4000)).Delay).ToList();

        Assert.Equal(TimeSpan.Zero, delays[0]);
        for (var i = 2; i < delays.Count; i++)
            Assert.True(delays[i] > delays[i - 1], $"delay {i} ({delays[i]}) should exceed delay {i - 1} ({delays[i - 1]})");
        session.OnFrame(Frame("""{"op":0,"s":9,"t":"RESUMED","d":{}}"""));
        Assert.Equal(TimeSpan.Zero, ((GatewayStep.Reconnect)session.OnClosed(4000)).Delay);
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
