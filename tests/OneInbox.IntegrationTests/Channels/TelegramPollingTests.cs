using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

public sealed class TelegramPollingTests(OneInboxApp app) : ChannelTest(app)
{
    [Fact]
    public async Task A_polling_connection_receives_the_same_updates_as_a_webhook_would_deliver()
    {
        var created = await CreateTelegramAsync(mode: "polling");
        Assert.Null(Telegram.WebhookUrl);

        Telegram.EnqueueUpdate("""{ "update_id": 501, "message": { "message_id": 1, "from": { "id": 77, "is_bot": false, "first_name": "Ann" }, "chat": { "id": 77, "type": "private" }, "date": 1767225600, "text": "first" } }""");
        Telegram.EnqueueUpdate("""{ "update_id": 502, "message": { "message_id": 2, "from": { "id": 77, "is_bot": false, "first_name": "Ann" }, "chat": { "id": 77, "type": "private" }, "date": 1767225601, "text": "second" } }""");

        await Inbox.WaitUntilAsync(i => i.Calls.Count == 2, what: "two polled messages");
        Assert.Equal(["first", "second"], Inbox.Calls.Select(c => c.Message.Text));
        Assert.All(Inbox.Calls, c => Assert.Equal(created.Connection.Id, c.ConnectionId));
        await WaitForAsync(async () => await ScalarAsync("SELECT \"PollingOffset\" FROM \"ChannelConnections\"") == "503", "the offset to advance");
        await Task.Delay(1500);
        Assert.Equal(2, Inbox.Calls.Count);
    }
}
