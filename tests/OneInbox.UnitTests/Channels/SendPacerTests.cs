using System.Diagnostics;
using OneInbox.Infrastructure.Channels.Dispatching;

namespace OneInbox.UnitTests.Channels;

public class SendPacerTests
{
    [Fact]
    public async Task A_bots_sends_are_spread_over_the_second_instead_of_going_out_in_one_burst()
    {
        using var pacer = new SendPacer(TimeProvider.System);
        var bot = Guid.NewGuid();
        var started = Stopwatch.GetTimestamp();
        var at = new List<double>();

        // 40 replies to 40 chats, Telegram's 30 per second per bot.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async chat =>
        {
            await pacer.WaitAsync(bot, $"chat-{chat}", 30, TimeSpan.FromSeconds(1), CancellationToken.None);
            lock (at)
                at.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }));

        // 3 every 100 ms: in the first half second about 18 of them (never more than 21, even when the limiter's timer
        // catches up on late ticks); a bucket refilled once a second would let 30 go at once. A slow machine only
        // spreads them further.
        at.Sort();
        var firstHalfSecond = at.Count(t => t - at[0] < 500);
        Assert.True(firstHalfSecond <= 21, $"{firstHalfSecond} of 40 went out in the first 500 ms");
        Assert.True(at[^1] >= 1000, $"40 sends at 30/s took only {at[^1]:F0} ms");
    }

    [Fact]
    public async Task One_chat_gets_at_most_one_message_per_interval()
    {
        using var pacer = new SendPacer(TimeProvider.System);
        var bot = Guid.NewGuid();
        var started = Stopwatch.GetTimestamp();

        for (var i = 0; i < 3; i++)
            await pacer.WaitAsync(bot, "chat-1", 30, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(started).TotalMilliseconds >= 390);
    }
}
