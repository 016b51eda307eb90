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

var server = BenchServer.PostgresArgument(args);
var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
const int Files = 100;
const int Concurrency = 32;
const long Person = 4_242_424_242;

await using var bench = await BenchServer.StartTelegramAsync(server, Concurrency,
    new Dictionary<string, string> { ["OneInbox__Privacy__ExportIntervalSeconds"] = "0.2" });
var (http, connectionId, secret, connectionString) = (bench.Http, bench.ConnectionId, bench.Secret, bench.ConnectionString);
Console.WriteLine($"OneInbox privacy bench: {Environment.ProcessorCount} cores, one person with {messages:N0} messages and {Files} files");

// The person's history: their messages through the webhook, then the files an agent sends them.
var next = 0;
await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
{
    var id = Interlocked.Increment(ref next);
    using var request = BenchServer.TelegramUpdate(connectionId, secret, id, Person, $"message {id} of a long history");
    (await http.SendAsync(request, ct)).EnsureSuccessStatusCode();
});
await BenchServer.WaitAsync(async () => await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Messages\"") >= messages, "the history to be processed");
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
Console.WriteLine($"seeded: {await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Messages\"")} messages, {await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Attachments\"")} files");

// Export: from the request to a ready zip.
var access = JsonDocument.Parse(await (await http.PostAsJsonAsync("/api/v1/privacy/requests", new { type = "access", channel = "email", contactId })).Content.ReadAsStringAsync()).RootElement;
var requestId = access.GetProperty("id").GetGuid();
var exportWatch = Stopwatch.StartNew();
(await http.PostAsync($"/api/v1/privacy/requests/{requestId}/exports", null)).EnsureSuccessStatusCode();
await BenchServer.WaitAsync(async () => JsonDocument.Parse(await http.GetStringAsync($"/api/v1/privacy/requests/{requestId}/exports")).RootElement[0].GetProperty("status").GetString() == "ready",
    "the export", pollMs: 50);
exportWatch.Stop();
var zip = await http.GetByteArrayAsync($"/api/v1/privacy/requests/{requestId}/export");
Console.WriteLine($"export: ready {exportWatch.Elapsed.TotalSeconds:F2} s after it was asked for (polled every 50 ms, builder wakes every 0.2 s); zip {zip.Length / 1024:N0} KB");

// Erasure under load: other customers write at full speed, first alone, then while the person is erased.
// Other customers' messages, 16 in flight.
HttpRequestMessage Other()
{
    var id = Interlocked.Increment(ref next);
    return BenchServer.TelegramUpdate(connectionId, secret, id, 5_550_000_000L + (id % 500), $"message {id} of a long history");
}
var baseline = await BenchServer.ClosedLoopAsync(http, Concurrency / 2, Other, TimeSpan.FromSeconds(5));
var erase = Task.Run(async () =>
{
    var watch = Stopwatch.StartNew();
    (await http.DeleteAsync($"/api/v1/contacts/{contactId}")).EnsureSuccessStatusCode();
    return watch.Elapsed;
});
var during = await BenchServer.ClosedLoopAsync(http, Concurrency / 2, Other, null, erase);
var erased = await erase;
Console.WriteLine($"erasure: {erased.TotalSeconds:F2} s for {messages:N0} messages and {Files} files");
Console.WriteLine($"webhooks acknowledged: {baseline:F0}/s alone, {during:F0}/s during the erasure = {during / baseline:P0}");
Console.WriteLine($"left of the person: {await BenchServer.ScalarAsync(connectionString, $"SELECT count(*) FROM \"Messages\" WHERE \"ConversationId\" = '{conversationId}'")} messages");

