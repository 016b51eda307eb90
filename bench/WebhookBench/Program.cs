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
using OneInbox.Bench;
using OneInbox.TestFakes;

// Load harness for the Telegram and WhatsApp webhook receivers and the outbox dispatcher. It starts the real server as a
// child process on a fresh PostgreSQL database, measures the raw single-row insert rate of that server as the
// floor of any durable acknowledgement, then posts updates at increasing rates and reports acknowledged
// webhooks/s with p50/p99 latency; then signed WhatsApp POSTs of 1 and 10 messages and the signature check's share of
// the CPU; finally it queues replies and measures delivery to the fake Telegram API.
//
//   dotnet run -c Release --project bench/WebhookBench -- "Host=127.0.0.1;Port=5432;Username=oneinbox;Database=postgres" [seconds] [rates]

var server = BenchServer.PostgresArgument(args);
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var rates = args.Length > 2 ? args[2].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : [250, 500, 1000, 2000, 4000];
const int Concurrency = 64;

var webApi = BenchServer.WebApiDll();

// The server's pool stays well under PostgreSQL's default 100 connections, beside the harness's own 64.
var (database, connectionString) = await BenchServer.CreateDatabaseAsync(server);
var dataPath = Directory.CreateTempSubdirectory("oneinbox-bench-").FullName;
await using var telegram = await FakeTelegramBotApi.StartAsync();

try
{
    Console.WriteLine($"OneInbox webhook bench: {Environment.ProcessorCount} cores, {seconds} s per step, {Concurrency} client connections");
    var port = BenchServer.FreePort();
    Guid connectionId;
    string secret;
    using (var host = BenchServer.Start(webApi, connectionString, dataPath, port, runWorkers: false))
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await BenchServer.WaitReadyAsync(http, host);
        string accessToken;
        (accessToken, connectionId, secret) = await BenchServer.ConnectTelegramAsync(http, telegram);

        var rawRate = await BenchServer.RawInsertRateAsync(connectionString, seconds, Concurrency);
        Console.WriteLine($"raw PostgreSQL single-row inserts ({Concurrency} connections, autocommit): {rawRate:F0}/s");
        Console.WriteLine();
        Console.WriteLine("offered/s  acknowledged/s  p50 ms  p99 ms  max ms  errors");
        var updateId = 1_000_000;
        await RunStepAsync(http, connectionId, secret, 200, 2, () => updateId++); // warm-up
        foreach (var rate in rates)
        {
            var step = await RunStepAsync(http, connectionId, secret, rate, seconds, () => updateId++);
            Console.WriteLine($"{rate,9}  {step.Acked,14:F0}  {step.P50,6:F1}  {step.P99,6:F1}  {step.Max,6:F1}  {step.Errors,6}");
        }
        var closed = await ClosedLoopAsync(http, seconds, () => updateId++, id => TelegramUpdate(connectionId, secret, id));
        Console.WriteLine($"{"max",9}  {closed.Acked,14:F0}  {closed.P50,6:F1}  {closed.P99,6:F1}  {closed.Max,6:F1}  {closed.Errors,6}   (closed loop, {Concurrency} in flight)");
        Console.WriteLine($"acknowledged at most {closed.Acked / rawRate:P0} of the raw insert rate");

        // WhatsApp on the same server: signed POSTs (X-Hub-Signature-256 over the raw body) of 1 and of 10 messages.
        await using var graph = await FakeWhatsAppGraphApi.StartAsync();
        var whatsApp = await BenchServer.ConnectWhatsAppAsync(http, graph, accessToken);
        var wamid = 0;
        await ClosedLoopAsync(http, 2, () => wamid++, id => WhatsAppDelivery(whatsApp, id, 1)); // warm-up
        var single = await ClosedLoopAsync(http, seconds, () => wamid++, id => WhatsAppDelivery(whatsApp, id, 1));
        var batched = await ClosedLoopAsync(http, seconds, () => wamid += 10, id => WhatsAppDelivery(whatsApp, id, 10));
        Console.WriteLine();
        Console.WriteLine("WhatsApp, closed loop, 64 in flight   POSTs/s  messages/s  p50 ms  p99 ms  errors");
        Console.WriteLine($"signed POSTs of 1 message             {single.Acked,7:F0}  {single.Acked,10:F0}  {single.P50,6:F1}  {single.P99,6:F1}  {single.Errors,6}");
        Console.WriteLine($"signed POSTs of 10 messages           {batched.Acked,7:F0}  {batched.Acked * 10,10:F0}  {batched.P50,6:F1}  {batched.P99,6:F1}  {batched.Errors,6}");
        Console.WriteLine($"(Telegram in this run, one update per POST: {closed.Acked:F0}/s)");
        // The check itself, the server's own function over the same bodies: its share of the CPU each acknowledgement takes.
        foreach (var (label, messages, rate) in new[] { ("1-message", 1, single.Acked), ("10-message", 10, batched.Acked) })
        {
            var body = WhatsAppBody(1, messages);
            var signature = FakeWhatsAppGraphApi.Sign(body);
            const int checks = 200_000;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < checks; i++)
            {
                if (!OneInbox.Infrastructure.Channels.WhatsApp.WhatsAppReceiver.SignatureMatches(body, signature, graph.AppSecret))
                    throw new InvalidOperationException("The bench's signature does not match.");
            }
            var micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds / checks;
            var share = micros * rate / (Environment.ProcessorCount * 1_000_000.0);
            Console.WriteLine($"signature check of a {label} body ({body.Length} bytes): {micros:F2} µs = {share:P2} of the CPU at {rate:F0} POSTs/s on {Environment.ProcessorCount} cores");
        }
    }

    // Outbound: replies queued as the inbox would (encrypted payloads), delivered to the fake by the dispatcher.
    var replies = 3000;
    await QueueRepliesAsync(connectionString, dataPath, connectionId, replies);
    var sendPort = BenchServer.FreePort();
    using (var host = BenchServer.Start(webApi, connectionString, dataPath, sendPort, runWorkers: true))
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{sendPort}") };
        await BenchServer.WaitReadyAsync(http, host);
        var clock = Stopwatch.StartNew();
        while (telegram.CallsTo("sendMessage").Count < replies && clock.Elapsed < TimeSpan.FromSeconds(120))
            await Task.Delay(50);
        var delivered = telegram.CallsTo("sendMessage").Count;
        Console.WriteLine();
        Console.WriteLine($"dispatcher: {delivered} of {replies} replies at the fake in {clock.Elapsed.TotalSeconds:F1} s = {delivered / clock.Elapsed.TotalSeconds:F0}/s (per-bot limit lifted for the bench; 1 chat per reply)");
    }
}
finally
{
    await BenchServer.DropDatabaseAsync(server, database);
    Directory.Delete(dataPath, recursive: true);
}

static async Task<Step> RunStepAsync(HttpClient http, Guid connectionId, string secret, int rate, int seconds, Func<int> nextId)
{
    var total = rate * seconds;
    var latencies = new double[total];
    var errors = 0;
    var started = Stopwatch.GetTimestamp();
    var tasks = new List<Task>(total);
    // Open loop in 5 ms ticks: each tick releases the requests due by then, so a slow server cannot slow the offered rate.
    var issued = 0;
    while (issued < total)
    {
        var dueNow = Math.Min(total, (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate) + 1);
        for (; issued < dueNow; issued++)
        {
            var index = issued;
            var id = nextId();
            tasks.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                if (!await PostAsync(http, TelegramUpdate(connectionId, secret, id)))
                    Interlocked.Increment(ref errors);
                latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }));
        }
        await Task.Delay(5);
    }
    await Task.WhenAll(tasks);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    Array.Sort(latencies);
    return new Step((total - errors) / elapsed, latencies[total / 2], latencies[(int)(total * 0.99)], latencies[^1], errors);
}

static async Task<Step> ClosedLoopAsync(HttpClient http, int seconds, Func<int> nextId, Func<int, HttpRequestMessage> delivery)
{
    var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    var errors = 0;
    var gate = new Lock();
    var started = Stopwatch.GetTimestamp();
    var until = started + (seconds * Stopwatch.Frequency);
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        while (Stopwatch.GetTimestamp() < until)
        {
            int id;
            lock (gate)
                id = nextId();
            var sent = Stopwatch.GetTimestamp();
            if (!await PostAsync(http, delivery(id)))
                Interlocked.Increment(ref errors);
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }
    }));
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var sorted = latencies.Order().ToArray();
    return new Step((sorted.Length - errors) / elapsed, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted[^1], errors);
}

static HttpRequestMessage TelegramUpdate(Guid connectionId, string secret, int updateId)
{
    var chat = 5_550_000_000L + (updateId % 500);
    var update = $$$"""{"update_id":{{{updateId}}},"message":{"message_id":{{{updateId}}},"from":{"id":{{{chat}}},"is_bot":false,"first_name":"Load"},"chat":{"id":{{{chat}}},"type":"private"},"date":1767225600,"text":"load test message {{{updateId}}}"}}""";
    var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connectionId}") { Content = new StringContent(update, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
    return request;
}

static HttpRequestMessage WhatsAppDelivery(Guid connectionId, int firstId, int messages)
{
    var body = WhatsAppBody(firstId, messages);
    return FakeWhatsAppGraphApi.SignedPost($"/webhooks/whatsapp/{connectionId}", body, FakeWhatsAppGraphApi.Sign(body));
}

// One notification as Meta batches them: one change of one number, `messages` texts from 500 customers.
static byte[] WhatsAppBody(int firstId, int messages)
{
    var items = string.Join(",", Enumerable.Range(firstId, messages).Select(id =>
        $$$"""{"from":"{{{34_600_000_000L + (id % 500)}}}","id":"wamid.BENCH{{{id}}}","timestamp":"1767225600","type":"text","text":{"body":"load test message {{{id}}}"}}"""));
    var contacts = string.Join(",", Enumerable.Range(firstId, messages).Select(id =>
        $$$"""{"profile":{"name":"Load"},"wa_id":"{{{34_600_000_000L + (id % 500)}}}"}"""));
    return Encoding.UTF8.GetBytes($$$"""{"object":"whatsapp_business_account","entry":[{"id":"{{{FakeWhatsAppGraphApi.DefaultBusinessAccountId}}}","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{FakeWhatsAppGraphApi.DefaultPhoneNumberId}}}"},"contacts":[{{{contacts}}}],"messages":[{{{items}}}]},"field":"messages"}]}]}""");
}

static async Task<bool> PostAsync(HttpClient http, HttpRequestMessage request)
{
    using (request)
    {
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

static async Task QueueRepliesAsync(string connectionString, string dataPath, Guid connectionId, int count)
{
    var cipher = new FieldCipher(FieldKeyRing.Load(new EncryptionOptions(), dataPath));
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    var workspace = (Guid)(await new NpgsqlCommand($"SELECT \"WorkspaceId\" FROM \"ChannelConnections\" WHERE \"Id\" = '{connectionId}'", db).ExecuteScalarAsync())!;
    await using var batch = new NpgsqlBatch(db);
    for (var i = 0; i < count; i++)
    {
        var message = new OutboundMessage(Guid.CreateVersion7(), (6_000_000_000L + i).ToString(CultureInfo.InvariantCulture), MessageKind.Text, $"reply {i}", [], []);
        var command = new NpgsqlBatchCommand("""
            INSERT INTO "OutboxMessages" ("Id", "WorkspaceId", "ConnectionId", "MessageId", "Payload", "Status", "Attempts", "CreatedAt", "NextAttemptAt")
            VALUES ($1, $2, $3, $4, $5, 0, 0, now(), now())
            """);
        command.Parameters.AddWithValue(Guid.CreateVersion7());
        command.Parameters.AddWithValue(workspace);
        command.Parameters.AddWithValue(connectionId);
        command.Parameters.AddWithValue(message.MessageId);
        command.Parameters.AddWithValue(cipher.Encrypt(JsonSerializer.Serialize(message, JsonSerializerOptions.Web)));
        batch.BatchCommands.Add(command);
    }
    await batch.ExecuteNonQueryAsync();
}

internal sealed record Step(double Acked, double P50, double P99, double Max, int Errors);
