using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

public sealed class ChannelRetentionTests(OneInboxApp app) : ChannelTest(app)
{
    private static string Update(int id, string text) => $$"""
        { "update_id": {{id}},
          "message": { "message_id": {{id}}, "from": { "id": 5550002222, "is_bot": false, "first_name": "Lea" },
                       "chat": { "id": 5550002222, "type": "private" }, "date": 1767225600, "text": "{{text}}" } }
        """;

    [Fact]
    public async Task Past_retention_processed_payloads_and_sent_replies_are_deleted_while_failed_ones_stay_for_replay()
    {
        var created = await CreateTelegramAsync();
        Inbox.FailuresToCause = 4;
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(created.Connection.Id, Update(900001, "refused until parked"), created.InboundSecret)).StatusCode);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"Status\" = 2") == 1, "the first update to be parked");
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(created.Connection.Id, Update(900002, "hello"), created.InboundSecret)).StatusCode);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"Status\" = 1") == 1, "the second update to be processed");
        await QueueReplyAsync(created.Connection.Id, new OutboundMessage(Guid.NewGuid(), "5550002222", MessageKind.Text, "Hi Lea", [], []));
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM \"OutboxMessages\" WHERE \"Status\" = 1") == 1, "the reply to be sent");
        var retention = Host.Services.GetRequiredService<ChannelRetention>();

        // Within the retention period (7 days by default) nothing goes.
        Assert.Equal((0, 0), await retention.PurgeAsync(default));

        var purged = await retention.PurgeAsync(TimeSpan.Zero, default);

        Assert.Equal((1, 1), purged);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"Status\" = 1"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"OutboxMessages\""));
        var failed = await (await Admin.GetAsync($"/api/v1/channels/{created.Connection.Id}/envelopes?status=failed")).ReadAsync<Page<Envelope>>();
        var parked = Assert.Single(failed.Items);
        var replayed = await (await Admin.PostAsync($"/api/v1/channels/{created.Connection.Id}/envelopes/{parked.Id}/replay", null)).ReadAsync<Envelope>();
        Assert.Equal("pending", replayed.Status);
        await Inbox.WaitUntilAsync(i => i.Received.Any(r => r.Message.Text == "refused until parked"), what: "the replayed message");
    }
}
