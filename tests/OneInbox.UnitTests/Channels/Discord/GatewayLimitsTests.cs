using OneInbox.Infrastructure.Channels.Discord;

namespace OneInbox.UnitTests.Channels.Discord;

public class GatewayLimitsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Identify_waits_for_the_reset_when_the_session_start_budget_is_spent()
    {
        var budget = new IdentifyBudget();
        budget.Update(remaining: 1, resetAfter: TimeSpan.FromHours(1), maxConcurrency: 1, T0);

        Assert.Equal(TimeSpan.Zero, budget.TryTake(T0));
        Assert.Equal(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(10), budget.TryTake(T0.AddSeconds(10)));
        Assert.Equal(TimeSpan.Zero, budget.TryTake(T0.AddHours(1)));
    }

    [Fact]
    public void At_most_max_concurrency_identifies_go_out_per_five_seconds()
    {
        var budget = new IdentifyBudget();
        budget.Update(remaining: 1000, resetAfter: TimeSpan.FromHours(4), maxConcurrency: 2, T0);

        Assert.Equal(TimeSpan.Zero, budget.TryTake(T0));
        Assert.Equal(TimeSpan.Zero, budget.TryTake(T0.AddSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(3), budget.TryTake(T0.AddSeconds(2)));
        Assert.Equal(TimeSpan.Zero, budget.TryTake(T0.AddSeconds(5)));
    }

    [Fact]
    public void The_gateway_send_limit_allows_120_frames_a_minute_keeping_room_for_heartbeats()
    {
        var limit = new GatewaySendLimit();
        for (var i = 0; i < 115; i++)
            Assert.Equal(TimeSpan.Zero, limit.TryTake(T0.AddMilliseconds(i), heartbeat: false));

        Assert.True(limit.TryTake(T0.AddSeconds(1), heartbeat: false) > TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
            Assert.Equal(TimeSpan.Zero, limit.TryTake(T0.AddSeconds(1), heartbeat: true));
        var wait = limit.TryTake(T0.AddSeconds(1), heartbeat: true);
        Assert.Equal(TimeSpan.FromSeconds(59), wait);
        Assert.Equal(TimeSpan.Zero, limit.TryTake(T0.AddSeconds(60), heartbeat: true));
    }
}
