using OneInbox.Domain.Conversations;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

public sealed class DispatcherTests(OneInboxApp app) : ChannelTest(app)
{
    [Fact]
    public async Task An_agent_reply_reaches_telegram_exactly_once_with_its_buttons()
    {
        var created = await CreateTelegramAsync();
        var messageId = Guid.NewGuid();

        await QueueReplyAsync(created.Connection.Id, new OutboundMessage(messageId, "5550001111", MessageKind.Text, "Choose a topic:",
            [new OutboundButton("Talk to an agent", "menu:agent")], []));

        var call = await Telegram.WaitForCallAsync("sendMessage");
        Assert.Equal("Choose a topic:", call.Text("text"));
        Assert.Equal("menu:agent", call.Parameters["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>());
        await Inbox.WaitUntilAsync(i => i.Statuses.Count == 1, what: "the delivery status");
        Assert.Equal(new RecordDeliveryStatus(messageId, DeliveryStatus.Sent, null, Inbox.Statuses[0].ProviderMessageId), Inbox.Statuses[0]);
        await Task.Delay(500);
        Assert.Single(Telegram.CallsTo("sendMessage"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM \"OutboxMessages\" WHERE \"Status\" = 1"));
    }

    [Fact]
    public async Task Telegram_failing_for_a_while_delays_replies_but_loses_and_duplicates_none()
    {
        var created = await CreateTelegramAsync();
        Telegram.RateLimitNext(1, retryAfterSeconds: 1);
        Telegram.FailNext(2);

        for (var i = 0; i < 3; i++)
            await QueueReplyAsync(created.Connection.Id, new OutboundMessage(Guid.NewGuid(), $"{100 + i}", MessageKind.Text, $"reply {i}", [], []));

        await Inbox.WaitUntilAsync(i => i.Statuses.Count == 3, TimeSpan.FromSeconds(30), "three delivered replies");
        Assert.All(Inbox.Statuses, s => Assert.Equal(DeliveryStatus.Sent, s.Status));
        var delivered = Telegram.CallsTo("sendMessage").Where(c => c.Fault is null).Select(c => c.Text("text")).Order().ToList();
        Assert.Equal(["reply 0", "reply 1", "reply 2"], delivered);
        Assert.Equal(3, Telegram.CallsTo("sendMessage").Count(c => c.Fault is not null));
    }

    [Fact]
    public async Task A_customer_who_blocked_the_bot_gets_a_failed_delivery_with_the_reason_and_it_can_be_replayed()
    {
        var created = await CreateTelegramAsync();
        Telegram.BlockNext(1);
        var messageId = Guid.NewGuid();

        await QueueReplyAsync(created.Connection.Id, new OutboundMessage(messageId, "42", MessageKind.Text, "hello", [], []));

        await Inbox.WaitUntilAsync(i => i.Statuses.Count == 1, what: "the failed status");
        Assert.Equal(new RecordDeliveryStatus(messageId, DeliveryStatus.Failed, "blocked_by_user", null), Inbox.Statuses[0]);
        var failed = await (await Admin.GetAsync($"/api/v1/channels/{created.Connection.Id}/outbox?status=failed")).ReadAsync<Page<Outbox>>();
        var row = Assert.Single(failed.Items);
        Assert.StartsWith("blocked_by_user", row.LastError, StringComparison.Ordinal);
        var health = await (await Admin.GetAsync($"/api/v1/channels/{created.Connection.Id}")).ReadAsync<Connection>();
        Assert.Equal(1, health.Health.FailedOutbox);

        await (await Admin.PostAsync($"/api/v1/channels/{created.Connection.Id}/outbox/{row.Id}/replay", null)).ReadAsync<Outbox>();

        await Inbox.WaitUntilAsync(i => i.Statuses.Count == 2, what: "the replayed delivery");
        Assert.Equal(DeliveryStatus.Sent, Inbox.Statuses[1].Status);
    }
}
