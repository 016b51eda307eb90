using System.Text.Json;
using OneInbox.Domain.Flows;
using OneInbox.Workflows.Triggers;

namespace OneInbox.UnitTests.Workflows;

public class TriggerTests
{
    private static FlowTrigger Trigger(object filter, int priority = 0, string type = "MessageReceived", Guid? flowId = null) =>
        new(flowId ?? Guid.CreateVersion7(), Guid.NewGuid(), 1, type, JsonSerializer.Serialize(filter), priority);

    private readonly TriggerMatcher _matcher = new();

    [Theory]
    [InlineData("I need an AGENT please", true)]
    [InlineData("agents are busy?", false)]
    [InlineData("hello", false)]
    [InlineData("HUMAN", true)]
    [InlineData("can I talk to a human?", true)]
    [InlineData("superhuman effort", false)]
    [InlineData("agent_smith here", false)]
    [InlineData("agentß", false)]
    [InlineData("an agent, then a human", true)]
    public void Keywords_match_whole_words_in_any_case(string text, bool matches)
    {
        var trigger = Trigger(new { keywords = new[] { "agent", "human" } });
        Assert.Equal(matches, _matcher.Select([trigger], new TriggerEvent("MessageReceived", Text: text)) is not null);
    }

    [Fact]
    public void Channel_connection_first_message_and_regex_filters_all_apply()
    {
        var connection = Guid.NewGuid();
        var trigger = Trigger(new { channelTypes = new[] { "telegram" }, connectionIds = new[] { connection.ToString() }, firstMessageOnly = true, regex = @"^order\s+\d+$" });
        var good = new TriggerEvent("MessageReceived", "Telegram", connection, FirstMessage: true, Text: "order 42");

        Assert.NotNull(_matcher.Select([trigger], good));
        Assert.Null(_matcher.Select([trigger], good with { ChannelType = "whatsapp" }));
        Assert.Null(_matcher.Select([trigger], good with { ConnectionId = Guid.NewGuid() }));
        Assert.Null(_matcher.Select([trigger], good with { FirstMessage = false }));
        Assert.Null(_matcher.Select([trigger], good with { Text = "order forty-two" }));
    }

    [Fact]
    public void When_several_flows_match_the_highest_priority_starts()
    {
        var low = Trigger(new { }, priority: 1);
        var high = Trigger(new { keywords = new[] { "price" } }, priority: 10);
        var other = Trigger(new { }, priority: 50, type: "ConversationCreated");

        Assert.Same(high, _matcher.Select([low, high, other], new TriggerEvent("MessageReceived", Text: "what is the price")));
        Assert.Same(low, _matcher.Select([low, high, other], new TriggerEvent("MessageReceived", Text: "hello")));
    }

    [Fact]
    public void A_restricted_contact_starts_no_flow() =>
        Assert.Null(_matcher.Select([Trigger(new { })], new TriggerEvent("MessageReceived", Text: "hi", ContactRestricted: true)));

    [Fact]
    public void A_schedule_fires_at_the_next_cron_time_in_its_time_zone()
    {
        var trigger = Trigger(new { cron = "0 9 * * 1-5", timeZone = "Europe/Berlin" }, type: "Schedule");
        var next = TriggerMatcher.NextOccurrence(trigger, new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), next);
    }
}
