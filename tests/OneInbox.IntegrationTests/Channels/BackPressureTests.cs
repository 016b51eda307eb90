using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>
/// A burst meets a full inbound backlog: the server stores each delivery at once but holds its acknowledgement until
/// the backlog has room, so the provider (which sends the next call when one is answered) slows to the workers' pace.
/// The real server as a process on a database of its own, its workers off, so the test decides when the backlog drains.
/// </summary>
public sealed class BackPressureTests() : ProcessTest("backpressure")
{
    private const int Limit = 3;

    [Fact]
    public async Task A_delivery_beyond_a_full_backlog_is_stored_at_once_and_acknowledged_when_the_backlog_has_room()
    {
        using var server = ServerProcess.Start(Database, DataPath, new Dictionary<string, string>
        {
            ["OneInbox__Channels__RunWorkers"] = "false",
            ["OneInbox__Channels__InboundBacklogLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OneInbox__Channels__InboundHoldLimit"] = "00:02:00",
        });
        await server.WaitReadyAsync();
        var (connectionId, secret) = await TelegramWebhook.ConnectAsync(server.Client, Telegram, "backpressure");

        for (var id = 1; id <= Limit; id++)
            Assert.True(await TelegramWebhook.TryPostAsync(server.Client, connectionId, secret, id, 500 + id, $"hello {id}"), $"update {id}, within the limit");

        var held = TelegramWebhook.TryPostAsync(server.Client, connectionId, secret, Limit + 1, 500, "one too many");
        await WaitAsync(async () => await PendingAsync() == Limit + 1, "the update beyond the limit to be stored");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(held.IsCompleted, "the acknowledgement is held while the backlog is over the limit");

        // The workers catch up (here: two envelopes processed by hand), the backlog is back at the limit, the answer goes out.
        await using (var db = new NpgsqlConnection(Database))
        {
            await db.OpenAsync();
            await new NpgsqlCommand("""UPDATE "InboundEnvelopes" SET "Status" = 1 WHERE "Id" IN (SELECT "Id" FROM "InboundEnvelopes" ORDER BY "Id" LIMIT 2)""", db).ExecuteNonQueryAsync();
        }
        Assert.True(await held.WaitAsync(TimeSpan.FromSeconds(30)), "acknowledged once the backlog had room");
        Assert.Equal(Limit - 1, await PendingAsync());
    }

    private Task<long> PendingAsync() => CountAsync("""SELECT count(*) FROM "InboundEnvelopes" WHERE "Status" = 0""");
}
