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

var server = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("ONEINBOX_TEST_POSTGRES")
    ?? throw new InvalidOperationException("Pass a PostgreSQL connection string or set ONEINBOX_TEST_POSTGRES.");
var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
const int Customers = 200;
const int Concurrency = 16;

var webApi = Path.Combine(BenchServer.FindRoot(), "src", "WebApi", "bin", "Release", "net10.0", "OneInbox.WebApi.dll");
if (!File.Exists(webApi))
    throw new InvalidOperationException($"Build the server first: dotnet build -c Release ({webApi} is missing).");
var (database, connectionString) = await BenchServer.CreateDatabaseAsync(server);
var dataPath = Directory.CreateTempSubdirectory("oneinbox-bench-").FullName;
await using var telegram = await FakeTelegramBotApi.StartAsync();
var port = BenchServer.FreePort();
using var host = BenchServer.Start(webApi, connectionString, dataPath, port, runWorkers: true, new Dictionary<string, string>());
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2 })
{
    BaseAddress = new Uri($"http://127.0.0.1:{port}"),
    Timeout = Timeout.InfiniteTimeSpan,
};
await BenchServer.WaitReadyAsync(http, host);
var (token, connectionId, secret) = await BenchServer.ConnectTelegramAsync(http, telegram);
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
Console.WriteLine($"OneInbox retention bench: {Environment.ProcessorCount} cores, {messages:N0} expired messages in {Customers} conversations");

var next = 0;
for (var customer = 0; customer < Customers; customer++)
{
    using var request = Update(connectionId, secret, Interlocked.Increment(ref next), 5_550_000_000L + customer);
    (await http.SendAsync(request)).EnsureSuccessStatusCode();
}
await WaitAsync(async () => await CountAsync("SELECT count(*) FROM \"Conversations\"") >= Customers, "the conversations");

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
Console.WriteLine($"seeded {await CountAsync("SELECT count(*) FROM \"Messages\"")} messages in {seed.Elapsed.TotalSeconds:F0} s");

var baseline = await LoadAsync(TimeSpan.FromSeconds(15), null);
var purge = Task.Run(async () =>
{
    var watch = Stopwatch.StartNew();
    var response = await http.PostAsync("/api/v1/workspace/retention/purge", null);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"The purge failed: {(int)response.StatusCode} {body}");
    return (watch.Elapsed, JsonDocument.Parse(body).RootElement.GetProperty("messages").GetInt32());
});
var during = await LoadAsync(null, purge);
var (elapsed, purged) = await purge;
var after = await LoadAsync(TimeSpan.FromSeconds(15), null);
Console.WriteLine($"purge: {purged:N0} messages in {elapsed.TotalSeconds:F1} s ({purged / elapsed.TotalSeconds:N0}/s)");
Console.WriteLine($"webhooks acknowledged: {baseline:F0}/s alone before, {during:F0}/s during the purge = {during / baseline:P0}, {after:F0}/s alone after");
Console.WriteLine($"left: {await CountAsync("SELECT count(*) FROM \"Messages\" WHERE \"CreatedAt\" < now() - interval '365 days'")} expired messages, "
    + $"{await CountAsync("SELECT count(*) FROM \"Conversations\"")} conversations");

host.Dispose();
await BenchServer.DropDatabaseAsync(server, database);
Directory.Delete(dataPath, recursive: true);
return;

// Closed loop of customers' messages for a time, or until a task ends; returns acknowledged webhooks per second.
async Task<double> LoadAsync(TimeSpan? duration, Task? until)
{
    var acked = 0;
    var watch = Stopwatch.StartNew();
    bool Running() => until is null ? watch.Elapsed < duration : !until.IsCompleted;
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        while (Running())
        {
            var id = Interlocked.Increment(ref next);
            using var request = Update(connectionId, secret, id, 5_550_000_000L + (id % Customers));
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
                Interlocked.Increment(ref acked);
        }
    }));
    return acked / watch.Elapsed.TotalSeconds;
}

async Task<long> CountAsync(string sql)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    return (long)(await new NpgsqlCommand(sql, db).ExecuteScalarAsync())!;
}

async Task ExecuteAsync(string sql)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

static async Task WaitAsync(Func<Task<bool>> done, string what)
{
    for (var i = 0; i < 3000; i++)
    {
        if (await done())
            return;
        await Task.Delay(200);
    }
    throw new TimeoutException($"Waited 10 minutes for {what}.");
}

static HttpRequestMessage Update(Guid connectionId, string secret, int id, long chat)
{
    var update = $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"from":{"id":{{{chat}}},"is_bot":false,"first_name":"Pia"},"chat":{"id":{{{chat}}},"type":"private"},"date":1767225600,"text":"message {{{id}}} today"}}""";
    var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connectionId}") { Content = new StringContent(update, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
    return request;
}
