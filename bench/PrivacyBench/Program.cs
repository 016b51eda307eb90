using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using OneInbox.Bench;
using OneInbox.TestFakes;

// Erasure and export of one person with a long history, on the real server (workers on) and a fresh PostgreSQL
// database: a Telegram customer writes `messages` messages and gets 100 files; then their access export is built and
// timed, and their erasure is timed while other customers keep writing, beside the webhook rate without an erasure.
//
//   dotnet run -c Release --project bench/PrivacyBench -- "Host=127.0.0.1;Port=5432;Username=oneinbox;Database=postgres" [messages]

var server = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("ONEINBOX_TEST_POSTGRES")
    ?? throw new InvalidOperationException("Pass a PostgreSQL connection string or set ONEINBOX_TEST_POSTGRES.");
var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
const int Files = 100;
const int Concurrency = 32;
const long Person = 4_242_424_242;

var webApi = Path.Combine(BenchServer.FindRoot(), "src", "WebApi", "bin", "Release", "net10.0", "OneInbox.WebApi.dll");
if (!File.Exists(webApi))
    throw new InvalidOperationException($"Build the server first: dotnet build -c Release ({webApi} is missing).");
var (database, connectionString) = await BenchServer.CreateDatabaseAsync(server);
var dataPath = Directory.CreateTempSubdirectory("oneinbox-bench-").FullName;
await using var telegram = await FakeTelegramBotApi.StartAsync();
var port = BenchServer.FreePort();
using var host = BenchServer.Start(webApi, connectionString, dataPath, port, runWorkers: true,
    new Dictionary<string, string> { ["OneInbox__Privacy__ExportIntervalSeconds"] = "0.2" });
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
await BenchServer.WaitReadyAsync(http, host);
var (token, connectionId, secret) = await BenchServer.ConnectTelegramAsync(http, telegram);
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
Console.WriteLine($"OneInbox privacy bench: {Environment.ProcessorCount} cores, one person with {messages:N0} messages and {Files} files");

// The person's history: their messages through the webhook, then the files an agent sends them.
var next = 0;
await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
{
    var id = Interlocked.Increment(ref next);
    using var request = Update(connectionId, secret, id, Person);
    (await http.SendAsync(request, ct)).EnsureSuccessStatusCode();
});
await WaitAsync(async () => await CountAsync("SELECT count(*) FROM \"Messages\"") >= messages, "the history to be processed");
var conversation = JsonDocument.Parse(await http.GetStringAsync("/api/v1/conversations")).RootElement.GetProperty("items")[0];
var conversationId = conversation.GetProperty("id").GetGuid();
var contactId = conversation.GetProperty("contactId").GetGuid();
for (var reply = 0; reply < Files / 10; reply++)
{
    var ids = new List<Guid>();
    for (var f = 0; f < 10; f++)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(new string('x', 20_000) + $" invoice {reply}-{f}"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var uploaded = await http.PostAsync($"/api/v1/attachments?fileName=invoice-{reply}-{f}.txt", file);
        ids.Add(JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
    }
    (await http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { text = $"Your invoices, part {reply + 1}", attachmentIds = ids })).EnsureSuccessStatusCode();
}
Console.WriteLine($"seeded: {await CountAsync("SELECT count(*) FROM \"Messages\"")} messages, {await CountAsync("SELECT count(*) FROM \"Attachments\"")} files");

// Export: from the request to a ready zip.
var access = JsonDocument.Parse(await (await http.PostAsJsonAsync("/api/v1/privacy/requests", new { type = "access", channel = "email", contactId })).Content.ReadAsStringAsync()).RootElement;
var requestId = access.GetProperty("id").GetGuid();
var exportWatch = Stopwatch.StartNew();
(await http.PostAsync($"/api/v1/privacy/requests/{requestId}/exports", null)).EnsureSuccessStatusCode();
await WaitAsync(async () => JsonDocument.Parse(await http.GetStringAsync($"/api/v1/privacy/requests/{requestId}/exports")).RootElement[0].GetProperty("status").GetString() == "ready",
    "the export", pollMs: 50);
exportWatch.Stop();
var zip = await http.GetByteArrayAsync($"/api/v1/privacy/requests/{requestId}/export");
Console.WriteLine($"export: ready {exportWatch.Elapsed.TotalSeconds:F2} s after it was asked for (polled every 50 ms, builder wakes every 0.2 s); zip {zip.Length / 1024:N0} KB");

// Erasure under load: other customers write at full speed, first alone, then while the person is erased.
var baseline = await LoadAsync(TimeSpan.FromSeconds(5), null);
var erase = Task.Run(async () =>
{
    var watch = Stopwatch.StartNew();
    (await http.DeleteAsync($"/api/v1/contacts/{contactId}")).EnsureSuccessStatusCode();
    return watch.Elapsed;
});
var during = await LoadAsync(null, erase);
var erased = await erase;
Console.WriteLine($"erasure: {erased.TotalSeconds:F2} s for {messages:N0} messages and {Files} files");
Console.WriteLine($"webhooks acknowledged: {baseline:F0}/s alone, {during:F0}/s during the erasure = {during / baseline:P0}");
Console.WriteLine($"left of the person: {await CountAsync($"SELECT count(*) FROM \"Messages\" WHERE \"ConversationId\" = '{conversationId}'")} messages");

host.Dispose();
await BenchServer.DropDatabaseAsync(server, database);
Directory.Delete(dataPath, recursive: true);
return;

// Closed loop of other customers' messages for a time, or until a task ends; returns acknowledged webhooks per second.
async Task<double> LoadAsync(TimeSpan? duration, Task? until)
{
    var acked = 0;
    var watch = Stopwatch.StartNew();
    bool Running() => until is null ? watch.Elapsed < duration : !until.IsCompleted;
    await Task.WhenAll(Enumerable.Range(0, Concurrency / 2).Select(async _ =>
    {
        while (Running())
        {
            var id = Interlocked.Increment(ref next);
            using var request = Update(connectionId, secret, id, 5_550_000_000L + (id % 500));
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

static async Task WaitAsync(Func<Task<bool>> done, string what, int pollMs = 200)
{
    for (var i = 0; i < 600_000 / pollMs; i++)
    {
        if (await done())
            return;
        await Task.Delay(pollMs);
    }
    throw new TimeoutException($"Waited 10 minutes for {what}.");
}

static HttpRequestMessage Update(Guid connectionId, string secret, int id, long chat)
{
    var update = $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"from":{"id":{{{chat}}},"is_bot":false,"first_name":"Pia"},"chat":{"id":{{{chat}}},"type":"private"},"date":1767225600,"text":"message {{{id}}} of a long history"}}""";
    var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connectionId}") { Content = new StringContent(update, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
    return request;
}
