using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using OneInbox.Bench;
using OneInbox.TestFakes;

// The retention purge of a large expired history while webhooks keep arriving, on the real server (workers on) and a
// fresh PostgreSQL database. 200 Telegram customers write through the webhook; then `messages` messages 400 days old
// are bulk-inserted into their conversations (time-ordered v7 ids, as the server makes them). Webhooks are measured
// alone (closed loop, 16 in flight), then during `POST /api/v1/workspace/retention/purge` (default retention: 365
// days), in the same run. The purge's own batches (2,000 rows, 20 ms apart) are the server's defaults.
//
//   dotnet run -c Release --project bench/RetentionBench -- "Host=127.0.0.1;Port=5432;Username=oneinbox;Database=postgres" [messages]

var server = BenchServer.PostgresArgument(args);
var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
const int Customers = 200;
const int Concurrency = 16;

await using var bench = await BenchServer.StartTelegramAsync(server, Concurrency * 2);
var (http, connectionId, secret, connectionString) = (bench.Http, bench.ConnectionId, bench.Secret, bench.ConnectionString);
Console.WriteLine($"OneInbox retention bench: {Environment.ProcessorCount} cores, {messages:N0} expired messages in {Customers} conversations");

var next = 0;
for (var customer = 0; customer < Customers; customer++)
{
    using var request = BenchServer.TelegramUpdate(connectionId, secret, Interlocked.Increment(ref next), 5_550_000_000L + customer, "hello");
    (await http.SendAsync(request)).EnsureSuccessStatusCode();
}
await BenchServer.WaitAsync(async () => await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Conversations\"") >= Customers, "the conversations");

var seed = Stopwatch.StartNew();
const int Chunk = 100_000;
for (var offset = 0; offset < messages; offset += Chunk)
{
    // v7 ids: 48 bits of Unix milliseconds, version 7, a counter, the variant, then the row number.
    await ExecuteAsync($$"""
        INSERT INTO "Messages" ("Id", "ConversationId", "ConnectionId", "Direction", "Kind", "Text", "IsPrivate", "Attachments",
            "Status", "AuthorType", "SentAt", "CreatedAt", "WorkspaceId")
        SELECT (lpad(to_hex((extract(epoch FROM s.at) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(g % 4096), 3, '0') || '8'
                || lpad(to_hex(g), 15, '0'))::uuid,
               c.ids[1 + g % c.n], '{{connectionId}}', 0, 0, 'an old message', false, '[]', 0, 0, s.at, s.at, c.workspace
        FROM generate_series({{offset}}, {{Math.Min(offset + Chunk, messages) - 1}}) AS g
        CROSS JOIN (SELECT array_agg("Id") AS ids, count(*)::int AS n, min("WorkspaceId"::text)::uuid AS workspace FROM "Conversations") AS c
        CROSS JOIN LATERAL (SELECT now() - interval '400 days' + g * interval '1 millisecond' AS at) AS s
        """);
}
await ExecuteAsync("ANALYZE \"Messages\"");
Console.WriteLine($"seeded {await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Messages\"")} messages in {seed.Elapsed.TotalSeconds:F0} s");

// Customers' messages, 16 in flight.
HttpRequestMessage Today()
{
    var id = Interlocked.Increment(ref next);
    return BenchServer.TelegramUpdate(connectionId, secret, id, 5_550_000_000L + (id % Customers), $"message {id} today");
}
var baseline = await BenchServer.ClosedLoopAsync(http, Concurrency, Today, TimeSpan.FromSeconds(15));
var purge = Task.Run(async () =>
{
    var watch = Stopwatch.StartNew();
    var response = await http.PostAsync("/api/v1/workspace/retention/purge", null);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"The purge failed: {(int)response.StatusCode} {body}");
    return (watch.Elapsed, JsonDocument.Parse(body).RootElement.GetProperty("messages").GetInt32());
});
var during = await BenchServer.ClosedLoopAsync(http, Concurrency, Today, null, purge);
var (elapsed, purged) = await purge;
var after = await BenchServer.ClosedLoopAsync(http, Concurrency, Today, TimeSpan.FromSeconds(15));
Console.WriteLine($"purge: {purged:N0} messages in {elapsed.TotalSeconds:F1} s ({purged / elapsed.TotalSeconds:N0}/s)");
Console.WriteLine($"webhooks acknowledged: {baseline:F0}/s alone before, {during:F0}/s during the purge = {during / baseline:P0}, {after:F0}/s alone after");
Console.WriteLine($"left: {await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Messages\" WHERE \"CreatedAt\" < now() - interval '365 days'")} expired messages, "
    + $"{await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Conversations\"")} conversations");

return;


async Task ExecuteAsync(string sql)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}
