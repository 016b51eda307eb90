using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;
using Microsoft.Extensions.Time.Testing;

namespace OneInbox.UnitTests.Application;

public class MessageTemplateTests
{
    [Fact]
    public void A_body_renders_its_numbered_placeholders_in_order_and_leaves_unknown_ones_visible()
    {
        Assert.Equal("Hi Ana, order 7 ships Monday.", MessageTemplates.Render("Hi {{1}}, order {{2}} ships {{ 3 }}.", ["Ana", "7", "Monday"]));
        Assert.Equal("Hi Ana, see {{2}}", MessageTemplates.Render("Hi {{1}}, see {{2}}", ["Ana"]));
    }

    [Theory]
    [InlineData("No placeholders", 0)]
    [InlineData("{{1}} and {{2}} and {{1}} again", 2)]
    [InlineData("{{ 1 }}{{2}}{{3}}", 3)]
    public void Parameters_are_counted_once_per_placeholder(string body, int expected) =>
        Assert.Equal(expected, MessageTemplates.CountParameters(body));

    [Fact]
    public void The_reply_window_opens_from_when_the_customer_wrote_and_a_late_delivery_does_not_stretch_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var window = TimeSpan.FromHours(24);
        var conversation = Conversation.Open(Guid.NewGuid(), Guid.NewGuid(), ChannelType.WhatsApp, "34600111222", clock);
        Assert.False(conversation.AcceptsFreeFormReply(window, clock.GetUtcNow()));
        Assert.True(conversation.AcceptsFreeFormReply(null, clock.GetUtcNow()));

        conversation.Receive("wamid.1", MessageKind.Text, "hi", [], null, null, clock.GetUtcNow().AddHours(-23), clock, window);
        Assert.Equal(clock.GetUtcNow().AddHours(1), conversation.ReplyWindowEndsAt);
        Assert.True(conversation.AcceptsFreeFormReply(window, clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromHours(2));
        Assert.False(conversation.AcceptsFreeFormReply(window, clock.GetUtcNow()));
        conversation.Receive("wamid.0", MessageKind.Text, "older, delivered late", [], null, null, clock.GetUtcNow().AddHours(-30), clock, window);
        Assert.False(conversation.AcceptsFreeFormReply(window, clock.GetUtcNow()));
    }
}
