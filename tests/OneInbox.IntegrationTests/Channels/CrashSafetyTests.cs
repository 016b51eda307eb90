using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Security;
using OneInbox.IntegrationTests.Infrastructure;
using OneInbox.TestFakes;
using Xunit.Abstractions;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>
/// The real server as a child process, killed (not stopped) in the middle of a stream of webhook updates and
/// replies, then started again on the same database and data folder.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : ProcessTest("crash")
{
    private const int Updates = 400;
    private const int Replies = 200;

    [Fact]
    public async Task After_a_kill_every_acknowledged_update_is_stored_once_and_every_queued_reply_is_delivered()
    {
        var first = ServerProcess.Start(Database, DataPath);
        Guid connectionId;
        string secret;
        var acknowledged = new ConcurrentBag<int>();
        try
        {
            await first.WaitReadyAsync();
            (connectionId, secret) = await TelegramWebhook.ConnectAsync(first.Client, Telegram, "crash");
            await QueueRepliesAsync(connectionId);

            // Updates stream in from 16 senders; the server dies under them once some replies went out.
            using var stop = new CancellationTokenSource();
            var next = 0;
            var senders = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                int id;
                while ((id = Interlocked.Increment(ref next)) <= Updates && !stop.IsCancellationRequested)
                {
                    if (await TryPostAsync(first.Client, connectionId, secret, id))
                        acknowledged.Add(id);
                }
            })).ToList();
            await WaitAsync(() => Telegram.CallsTo("sendMessage").Count >= Replies / 4 && acknowledged.Count >= Updates / 4, "the stream to get going");
            first.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        finally
        {
            first.Dispose();
        }
        // The killed server can send nothing more, but the fake may still be recording what reached it before the kill
        // (its clock can lag the kill by seconds on a loaded machine, so no clock separates the two servers' sends):
        // once the fake has been quiet a while, every call recorded so far came from the first server, every later one from the second.
        var sentByFirst = await QuietCountAsync(() => Telegram.CallsTo("sendMessage").Count);
        var acknowledgedBeforeCrash = acknowledged.Count;

        using var second = ServerProcess.Start(Database, DataPath);
        await second.WaitReadyAsync();
        for (var id = 1; id <= Updates; id++)
        {
            if (!acknowledged.Contains(id))
                Assert.True(await TryPostAsync(second.Client, connectionId, secret, id), $"update {id} after restart");
        }
        await WaitAsync(async () => await CountAsync("SELECT count(*) FROM \"OutboxMessages\" WHERE \"Status\" = 1") == Replies, "every reply to be sent", TimeSpan.FromSeconds(90));

        var stored = await ProviderIdsAsync();
        Assert.Equal(Enumerable.Range(1, Updates).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(), stored.Order());
        // Report counts are written in the transactions that stored the messages: the kill lost or doubled none of them.
        // (Envelopes become messages in the background: the comparison waits for the last of them.)
        await WaitAsync(async () => await CountAsync("SELECT count(*) FROM \"Messages\" WHERE \"Direction\" = 0") == Updates, "every update in the inbox", TimeSpan.FromSeconds(90));
        const string Counted = "SELECT coalesce(sum(\"{0}\"), 0) FROM (SELECT \"{0}\" FROM \"ReportDeltas\" WHERE \"Label\" = '' UNION ALL SELECT \"{0}\" FROM \"ReportHours\" WHERE \"Grain\" = 0 AND \"Label\" = '') AS r";
        Assert.Equal(Updates, await CountAsync(string.Format(CultureInfo.InvariantCulture, Counted, "MessagesIn")));
        Assert.Equal(await CountAsync("SELECT count(*) FROM \"Conversations\""), await CountAsync(string.Format(CultureInfo.InvariantCulture, Counted, "Opened")));
        var texts = Telegram.CallsTo("sendMessage").Select(c => c.Text("text")!).ToList();
        Assert.Equal(Enumerable.Range(0, Replies).Select(i => $"reply {i}").Order(), texts.Distinct().Order());
        // Telegram has no idempotency key: a reply whose send completed in the instant before the kill, but whose
        // success was not yet committed, goes out again. That can only be one of the sends in flight at the kill: each
        // outcome is committed as its send completes, and the bot's pacing (40/s here) lets out 4 per 100 ms, so 32 is generous.
        var duplicates = texts.Count - texts.Distinct().Count();
        output.WriteLine($"acknowledged before the kill: {acknowledgedBeforeCrash}, replies delivered before it: {sentByFirst}, duplicated by the kill: {duplicates}");
        Assert.InRange(duplicates, 0, 32);
        // Each duplicate is a send the kill cut short: its first copy reached the provider before the kill, the second
        // came from the restarted server, and there is never a third.
        var sends = Telegram.CallsTo("sendMessage").Select((call, order) => (Text: call.Text("text"), ByFirst: order < sentByFirst));
        foreach (var copies in sends.GroupBy(s => s.Text).Where(g => g.Count() > 1))
        {
            Assert.Equal(2, copies.Count());
            Assert.True(copies.Count(c => c.ByFirst) == 1, $"'{copies.Key}' was sent once by the server that was killed and once after the restart");
        }
    }

    [Fact]
    public async Task After_a_kill_every_acknowledged_WhatsApp_message_is_stored_once()
    {
        await using var graph = await FakeWhatsAppGraphApi.StartAsync();
        const int messages = 300;
        var first = ServerProcess.Start(Database, DataPath);
        Guid connectionId;
        var acknowledged = new ConcurrentBag<int>();
        try
        {
            await first.WaitReadyAsync();
            connectionId = await ConnectWhatsAppAsync(first.Client, graph);
            using var stop = new CancellationTokenSource();
            var next = 0;
            var senders = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                int id;
                while ((id = Interlocked.Increment(ref next)) <= messages && !stop.IsCancellationRequested)
                {
                    if (await TryPostWhatsAppAsync(first.Client, connectionId, id))
                        acknowledged.Add(id);
                }
            })).ToList();
            await WaitAsync(() => acknowledged.Count >= messages / 3, "the stream to get going");
            first.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        finally
        {
            first.Dispose();
        }
        var acknowledgedBeforeCrash = acknowledged.Count;

        // Meta retries what was not acknowledged (and sometimes what was): everything again to the restarted server.
        using var second = ServerProcess.Start(Database, DataPath);
        await second.WaitReadyAsync();
        for (var id = 1; id <= messages; id++)
            Assert.True(await TryPostWhatsAppAsync(second.Client, connectionId, id), $"message {id} after restart");
        await WaitAsync(async () => await CountAsync("SELECT count(*) FROM \"Messages\" WHERE \"Direction\" = 0") == messages, "every message in the inbox", TimeSpan.FromSeconds(90));

        output.WriteLine($"acknowledged before the kill: {acknowledgedBeforeCrash} of {messages}");
        var stored = await ProviderIdsAsync();
        Assert.Equal(Enumerable.Range(1, messages).Select(i => $"wamid.CRASH{i}").Order(), stored.Order());
        Assert.Equal(messages, await CountAsync("SELECT count(*) FROM \"Messages\" WHERE \"Direction\" = 0"));
    }

    private static async Task<Guid> ConnectWhatsAppAsync(HttpClient http, FakeWhatsAppGraphApi graph)
    {
        var accessToken = await TestIdentity.SignUpAsync(http, "crash");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels")
        {
            Content = JsonContent.Create(new
            {
                type = "whatsapp", name = "Crash number", phoneNumberId = FakeWhatsAppGraphApi.DefaultPhoneNumberId,
                businessAccountId = FakeWhatsAppGraphApi.DefaultBusinessAccountId, accessToken = graph.Token, appSecret = graph.AppSecret,
                baseUrl = graph.BaseUrl.ToString(),
            }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var created = await (await http.SendAsync(request)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return created.GetProperty("connection").GetProperty("id").GetGuid();
    }

    /// <summary>One signed delivery with one message from one of 20 customers.</summary>
    private static async Task<bool> TryPostWhatsAppAsync(HttpClient http, Guid connectionId, int id)
    {
        var waId = (34600000000L + id % 20).ToString(CultureInfo.InvariantCulture);
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = FakeWhatsAppGraphApi.DefaultBusinessAccountId,
                    changes = new[]
                    {
                        new
                        {
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "15550001111", phone_number_id = FakeWhatsAppGraphApi.DefaultPhoneNumberId },
                                contacts = new[] { new { profile = new { name = "C" }, wa_id = waId } },
                                messages = new[]
                                {
                                    new { from = waId, id = $"wamid.CRASH{id}", timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), type = "text", text = new { body = $"message {id}" } },
                                },
                            },
                            field = "messages",
                        },
                    },
                },
            },
        });
        try
        {
            using var response = await http.SendAsync(FakeWhatsAppGraphApi.SignedPost($"/webhooks/whatsapp/{connectionId}", body, FakeWhatsAppGraphApi.Sign(body)));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false; // the server died mid-request: not acknowledged, Meta would deliver it again
        }
    }

    /// <summary>Replies as the inbox queues them: outbox rows with encrypted payloads, in the connection's workspace.</summary>
    private async Task QueueRepliesAsync(Guid connectionId)
    {
        var cipher = new FieldCipher(FieldKeyRing.Load(new EncryptionOptions(), DataPath));
        await using var db = new NpgsqlConnection(Database);
        await db.OpenAsync();
        var workspace = (Guid)(await new NpgsqlCommand($"SELECT \"WorkspaceId\" FROM \"ChannelConnections\" WHERE \"Id\" = '{connectionId}'", db).ExecuteScalarAsync())!;
        await using var batch = new NpgsqlBatch(db);
        for (var i = 0; i < Replies; i++)
        {
            var message = new OutboundMessage(Guid.CreateVersion7(), (6_000_000_000L + i).ToString(CultureInfo.InvariantCulture), MessageKind.Text, $"reply {i}", [], []);
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO "OutboxMessages" ("Id", "WorkspaceId", "ConnectionId", "MessageId", "Payload", "Status", "Attempts", "CreatedAt", "NextAttemptAt")
                VALUES ($1, $2, $3, $4, $5, 0, 0, now(), now())
                """);
            insert.Parameters.AddWithValue(Guid.CreateVersion7());
            insert.Parameters.AddWithValue(workspace);
            insert.Parameters.AddWithValue(connectionId);
            insert.Parameters.AddWithValue(message.MessageId);
            insert.Parameters.AddWithValue(cipher.Encrypt(JsonSerializer.Serialize(message, JsonSerializerOptions.Web)));
            batch.BatchCommands.Add(insert);
        }
        await batch.ExecuteNonQueryAsync();
    }

    private static Task<bool> TryPostAsync(HttpClient http, Guid connectionId, string secret, int updateId) =>
        TelegramWebhook.TryPostAsync(http, connectionId, secret, updateId, updateId % 20, $"update {updateId}");

    private async Task<List<string>> ProviderIdsAsync()
    {
        await using var db = new NpgsqlConnection(Database);
        await db.OpenAsync();
        await using var reader = await new NpgsqlCommand("SELECT \"ProviderId\" FROM \"InboundEnvelopes\"", db).ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>The count once it has stayed the same for two seconds.</summary>
    private static async Task<int> QuietCountAsync(Func<int> count)
    {
        var last = count();
        var quietSince = TimeProvider.System.GetUtcNow();
        while (TimeProvider.System.GetUtcNow() - quietSince < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(100);
            if (count() is var now && now != last)
                (last, quietSince) = (now, TimeProvider.System.GetUtcNow());
        }
        return last;
    }
}
