using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

public sealed class TelegramWebhookTests(OneInboxApp app) : ChannelTest(app)
{
    private const string T1 = """
        { "update_id": 864201001,
          "message": {
            "message_id": 2041,
            "from": { "id": 5550001111, "is_bot": false, "first_name": "Maria", "last_name": "Lopez", "username": "maria_lopez", "language_code": "es" },
            "chat": { "id": 5550001111, "first_name": "Maria", "last_name": "Lopez", "username": "maria_lopez", "type": "private" },
            "date": 1767225600,
            "text": "Where is order #4711?" } }
        """;

    [Fact]
    public async Task A_webhook_update_is_acknowledged_stored_encrypted_and_reaches_the_inbox()
    {
        var created = await CreateTelegramAsync();

        var response = await PostUpdateAsync(created.Connection.Id, T1, created.InboundSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the message in the inbox");
        var received = Inbox.Received[0];
        Assert.Equal(created.Connection.Id, received.ConnectionId);
        Assert.Equal(ChannelType.Telegram, received.Channel);
        Assert.Equal("Where is order #4711?", received.Message.Text);
        Assert.Equal("5550001111", received.Message.ConversationKey);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"Status\" = 1") == 1, "the envelope to be processed");
        Assert.DoesNotContain("Where is order", await ScalarAsync("SELECT \"Payload\" FROM \"InboundEnvelopes\""), StringComparison.Ordinal);
        var health = await (await Admin.GetAsync($"/api/v1/channels/{created.Connection.Id}")).ReadAsync<Connection>();
        Assert.NotNull(health.Health.LastInboundAt);
    }

    [Fact]
    public async Task A_webhook_is_judged_by_its_channel_alone_a_token_in_its_url_is_refused_and_the_api_still_asks_for_one()
    {
        var created = await CreateTelegramAsync();

        // A provider's call carries no token of ours: an Authorization header on it changes nothing.
        using var withHeader = UpdateRequest(created.Connection.Id, T1, created.InboundSecret);
        withHeader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token-of-ours");
        Assert.Equal(HttpStatusCode.OK, (await Host.CreateClient().SendAsync(withHeader)).StatusCode);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the message in the inbox");

        // A token in a URL ends up in logs: refused outside the hub, webhooks included.
        using var tokenInUrl = UpdateRequest(created.Connection.Id, T1, created.InboundSecret, "?access_token=secret");
        var refused = await Host.CreateClient().SendAsync(tokenInUrl);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        // The rest of the server still asks who calls.
        var anonymous = await Host.CreateClient().GetAsync($"/api/v1/channels/{created.Connection.Id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_same_update_posted_three_times_at_once_is_stored_and_received_once()
    {
        var created = await CreateTelegramAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostUpdateAsync(created.Connection.Id, T1, created.InboundSecret)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
        await Inbox.WaitUntilAsync(i => i.Calls.Count >= 1, what: "the message");
        await Task.Delay(500);
        Assert.Single(Inbox.Calls);
    }

    [Fact]
    public async Task A_burst_of_updates_with_redeliveries_mixed_in_stores_each_update_exactly_once()
    {
        // Concurrent deliveries share commits (group commit); duplicates inside one batch and across batches are both dropped.
        var created = await CreateTelegramAsync();
        var updates = Enumerable.Range(0, 120).Select(i => T1.Replace("864201001", $"{864300000 + i}", StringComparison.Ordinal)).ToList();

        var responses = await Task.WhenAll(updates.Concat(updates.Take(40)).Concat(updates.Skip(100))
            .Select(update => PostUpdateAsync(created.Connection.Id, update, created.InboundSecret)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(120, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
        Assert.Equal(120, await CountAsync("SELECT count(DISTINCT \"ProviderId\") FROM \"InboundEnvelopes\""));
    }

    [Fact]
    public async Task A_webhook_arriving_while_the_server_stops_gets_503_with_retry_after_and_stores_nothing()
    {
        var created = await CreateTelegramAsync();
        var store = Assert.IsAssignableFrom<IHostedService>(Host.Services.GetRequiredService<IInboundEnvelopeStore>());
        await store.StopAsync(CancellationToken.None);

        var response = await PostUpdateAsync(created.Connection.Id, T1, created.InboundSecret);

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("stopping", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_wrong_or_missing_secret_gets_401_and_stores_nothing(string? secret)
    {
        var created = await CreateTelegramAsync();

        var response = await PostUpdateAsync(created.Connection.Id, T1, secret);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
    }

    [Fact]
    public async Task An_unknown_connection_gets_the_same_401_as_a_wrong_secret()
    {
        var created = await CreateTelegramAsync();

        var response = await PostUpdateAsync(Guid.NewGuid(), T1, created.InboundSecret);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
    }

    [Fact]
    public async Task After_the_connection_is_deleted_its_webhook_answers_401()
    {
        var created = await CreateTelegramAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(created.Connection.Id, T1, created.InboundSecret)).StatusCode);

        await Admin.DeleteAsync($"/api/v1/channels/{created.Connection.Id}");
        var response = await PostUpdateAsync(created.Connection.Id, T1.Replace("864201001", "864201002", StringComparison.Ordinal), created.InboundSecret);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
    }

    [Fact]
    public async Task An_oversized_update_gets_413_and_stores_nothing()
    {
        var created = await CreateTelegramAsync();
        var huge = T1.Replace("Where is order #4711?", new string('a', 300 * 1024), StringComparison.Ordinal);

        var response = await PostUpdateAsync(created.Connection.Id, huge, created.InboundSecret);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"InboundEnvelopes\""));
    }

    [Fact]
    public async Task One_chats_updates_reach_the_inbox_in_the_order_they_arrived()
    {
        var created = await CreateTelegramAsync();

        for (var i = 0; i < 8; i++)
        {
            var update = T1.Replace("864201001", (864201100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("2041", (3000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("Where is order #4711?", $"part {i}", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(created.Connection.Id, update, created.InboundSecret)).StatusCode);
        }

        await Inbox.WaitUntilAsync(i => i.Calls.Count == 8, what: "eight messages");
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"part {i}"), Inbox.Calls.Select(c => c.Message.Text));
    }

    [Fact]
    public async Task A_burst_in_one_chat_reaches_the_inbox_once_in_arrival_order_even_past_a_message_that_is_refused()
    {
        var created = await CreateTelegramAsync();
        Inbox.RefusedText = "m17";
        // One customer sends forty messages while the inbox is down for a moment: they pile up behind the first one,
        // which waits for its retries, and are then claimed as runs.
        Inbox.FailuresToCause = 3;
        var updates = Enumerable.Range(0, 40).Select(i => $$"""
            { "update_id": {{870000000 + i}},
              "message": { "message_id": {{i + 1}}, "from": { "id": 5570000001, "is_bot": false, "first_name": "Burst" },
                           "chat": { "id": 5570000001, "type": "private" }, "date": 1767225600, "text": "m{{i}}" } }
            """);

        var responses = new List<HttpResponseMessage>();
        foreach (var update in updates)
            responses.Add(await PostUpdateAsync(created.Connection.Id, update, created.InboundSecret));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var connection = $"'{created.Connection.Id}'";
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = {connection} AND \"Status\" <> 0") == 40,
            "every update to be processed or parked");
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = {connection} AND \"Status\" = 2"));
        Assert.Equal(39, await CountAsync($"SELECT count(*) FROM \"Messages\" WHERE \"ConnectionId\" = {connection}"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM \"Conversations\" WHERE \"ConnectionId\" = {connection}"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM \"ChannelIdentities\" WHERE \"ExternalId\" = '5570000001'"));
        // In the order they arrived, each once (the failed attempts never reached the inbox).
        Assert.Equal(Enumerable.Range(0, 40).Where(i => i != 17).Select(i => $"m{i}"), Inbox.Calls.Select(c => c.Message.Text));
    }

    [Fact]
    public async Task A_message_the_inbox_refuses_does_not_hold_back_or_duplicate_the_messages_that_arrived_with_it()
    {
        var created = await CreateTelegramAsync();
        Inbox.RefusedText = "poison";
        // Forty customers at once: the processor takes them several to a unit of work, the poison among them.
        var updates = Enumerable.Range(0, 40).Select(i => $$"""
            { "update_id": {{865000000 + i}},
              "message": { "message_id": {{i + 1}}, "from": { "id": {{5560000000L + i}}, "is_bot": false, "first_name": "C{{i}}" },
                           "chat": { "id": {{5560000000L + i}}, "type": "private" }, "date": 1767225600, "text": "{{(i == 17 ? "poison" : $"hello {i}")}}" } }
            """);

        var responses = await Task.WhenAll(updates.Select(u => PostUpdateAsync(created.Connection.Id, u, created.InboundSecret)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var connection = $"'{created.Connection.Id}'";
        await WaitForAsync(async () => await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = {connection} AND \"Status\" = 2") == 1,
            "the refused update to be parked");
        Assert.Equal(39, await CountAsync($"SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"ConnectionId\" = {connection} AND \"Status\" = 1"));
        Assert.Equal(39, await CountAsync($"SELECT count(*) FROM \"Messages\" WHERE \"ConnectionId\" = {connection}"));
        Assert.Equal(39, await CountAsync($"SELECT count(*) FROM \"Conversations\" WHERE \"ConnectionId\" = {connection}"));
        Assert.Equal(39, Inbox.Received.Count);
        Assert.DoesNotContain(Inbox.Received, r => r.Message.Text == "poison");
    }

    [Fact]
    public async Task An_update_the_inbox_keeps_refusing_is_parked_visible_and_replayable()
    {
        var created = await CreateTelegramAsync();
        Inbox.FailuresToCause = 4;

        await PostUpdateAsync(created.Connection.Id, T1, created.InboundSecret);

        Page<Envelope>? failed = null;
        await WaitForAsync(async () =>
        {
            failed = await (await Admin.GetAsync($"/api/v1/channels/{created.Connection.Id}/envelopes?status=failed")).ReadAsync<Page<Envelope>>();
            return failed.Items.Length == 1;
        }, "the envelope to be parked");
        var parked = failed!.Items[0];
        Assert.Equal(4, parked.Attempts);
        Assert.Contains("unavailable", parked.LastError, StringComparison.Ordinal);
        Assert.Empty(Inbox.Calls);

        var replayed = await (await Admin.PostAsync($"/api/v1/channels/{created.Connection.Id}/envelopes/{parked.Id}/replay", null)).ReadAsync<Envelope>();

        Assert.Equal("pending", replayed.Status);
        await Inbox.WaitUntilAsync(i => i.Received.Count == 1, what: "the replayed message");
    }
}
