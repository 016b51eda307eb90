using System.Globalization;
using OneInbox.Infrastructure.Channels.Discord;

namespace OneInbox.UnitTests.Channels.Discord;

/// <summary>Buckets learned from headers (channels.md §3.6): per bucket and channel, shared routes, global pauses, 429s.</summary>
public class DiscordRateLimitsTests
{
    private const string Messages = "POST /channels/{id}/messages";
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static System.Net.Http.Headers.HttpResponseHeaders Headers(string bucket, int limit, int remaining, double resetAfter, params (string, string)[] extra)
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("X-RateLimit-Bucket", bucket);
        response.Headers.Add("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-RateLimit-Reset-After", resetAfter.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in extra)
            response.Headers.Add(name, value);
        return response.Headers;
    }

    [Fact]
    public void An_unknown_route_goes_at_once()
    {
        Assert.Equal(TimeSpan.Zero, new DiscordRateLimits().DelayBefore(Messages, "c1", T0));
    }

    [Fact]
    public void A_bucket_with_nothing_remaining_holds_the_next_request_until_it_resets()
    {
        var limits = new DiscordRateLimits();
        limits.Observe(Messages, "c1", Headers("b1", 5, 0, 2.5), 200, null, false, T0);

        Assert.Equal(TimeSpan.FromSeconds(2.5), limits.DelayBefore(Messages, "c1", T0));
        Assert.Equal(TimeSpan.FromSeconds(1.5), limits.DelayBefore(Messages, "c1", T0.AddSeconds(1)));
        Assert.Equal(TimeSpan.Zero, limits.DelayBefore(Messages, "c1", T0.AddSeconds(2.5)));
    }

    [Fact]
    public void The_remaining_count_is_spent_by_requests_sent_before_their_answers_arrive()
    {
        var limits = new DiscordRateLimits();
        limits.Observe(Messages, "c1", Headers("b1", 5, 2, 4), 200, null, false, T0);

        Assert.Equal(TimeSpan.Zero, limits.DelayBefore(Messages, "c1", T0));
        Assert.Equal(TimeSpan.Zero, limits.DelayBefore(Messages, "c1", T0));
        Assert.Equal(TimeSpan.FromSeconds(4), limits.DelayBefore(Messages, "c1", T0));
    }

    [Fact]
    public void Another_channel_in_the_same_bucket_is_not_held_up()
    {
        var limits = new DiscordRateLimits();
        limits.Observe(Messages, "c1", Headers("b1", 5, 0, 3), 200, null, false, T0);

        Assert.Equal(TimeSpan.Zero, limits.DelayBefore(Messages, "c2", T0));
    }

    [Fact]
    public void Routes_that_share_a_bucket_wait_for_each_other()
    {
        var limits = new DiscordRateLimits();
        const string Edit = "PATCH /channels/{id}/messages/{id}";
        limits.Observe(Edit, "c1", Headers("shared", 5, 4, 3), 200, null, false, T0);
        limits.Observe(Messages, "c1", Headers("shared", 5, 0, 3), 200, null, false, T0);

        Assert.Equal(TimeSpan.FromSeconds(3), limits.DelayBefore(Edit, "c1", T0));
    }

    [Fact]
    public void A_route_429_holds_that_bucket_for_retry_after_and_nothing_else()
    {
        var limits = new DiscordRateLimits();
        limits.Observe(Messages, "c1", Headers("b1", 5, 3, 5, ("X-RateLimit-Scope", "user")), 429, 1.5, false, T0);

        Assert.Equal(TimeSpan.FromSeconds(1.5), limits.DelayBefore(Messages, "c1", T0));
        Assert.Equal(TimeSpan.Zero, limits.DelayBefore(Messages, "c2", T0));
        Assert.Equal(TimeSpan.Zero, limits.DelayBefore("POST /users/@me/channels", "-", T0));
    }

    [Fact]
    public void A_global_429_pauses_every_route()
    {
        var limits = new DiscordRateLimits();
        using var response = new HttpResponseMessage();
        response.Headers.Add("X-RateLimit-Global", "true");
        limits.Observe(Messages, "c1", response.Headers, 429, 2, true, T0);

        Assert.Equal(TimeSpan.FromSeconds(2), limits.DelayBefore(Messages, "c9", T0));
        Assert.Equal(TimeSpan.FromSeconds(2), limits.DelayBefore("GET /users/@me", "-", T0));
        Assert.Equal(TimeSpan.Zero, limits.DelayBefore(Messages, "c9", T0.AddSeconds(2)));
    }

    [Fact]
    public void More_than_fifty_requests_a_second_wait_for_the_global_cap_but_interaction_callbacks_do_not()
    {
        var limits = new DiscordRateLimits();
        for (var i = 0; i < DiscordRateLimits.GlobalPerSecond; i++)
            Assert.Equal(TimeSpan.Zero, limits.DelayBefore(Messages, "c" + i, T0));

        Assert.Equal(TimeSpan.FromSeconds(1), limits.DelayBefore(Messages, "c-next", T0));
        Assert.Equal(TimeSpan.Zero, limits.DelayBefore("POST /interactions/{id}/{token}/callback", "i1", T0, countsGlobally: false));
    }
}
