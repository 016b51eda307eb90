using System.Diagnostics;
using System.Globalization;
using Npgsql;
using OneInbox.Bench;

// Report latency at scale, on the real server and a fresh PostgreSQL database: 100,000 conversations with 1,000,000
// messages spread over the last 12 months (10 messages each, answered and resolved after varied times, 30 % rated, 10
// agents, 3 teams) are bulk-inserted, then counted by the server's own backfill and compactor (the path a first
// deployment takes). Flow aggregates for two flows are inserted at the cardinality live counting produces (one row per
// hour, flow, node and outcome). Then every report endpoint is asked `rounds` times for the last 30 days and the last
// 12 months; p50/p95 are printed beside the baseline of this run: the same inbox question answered by scanning the
// messages (what reports would cost without aggregates).
//
//   dotnet run -c Release --project bench/ReportBench -- "Host=127.0.0.1;Port=5432;Username=oneinbox;Database=postgres" [conversations] [rounds]

var server = BenchServer.PostgresArgument(args);
var conversations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
const int MessagesPerConversation = 10;
const int Customers = 200;

await using var bench = await BenchServer.StartTelegramAsync(server, 8, new Dictionary<string, string>
{
    ["OneInbox__Reports__BackfillEvery"] = "00:00:02",
});
var (http, connectionId, secret, connectionString) = (bench.Http, bench.ConnectionId, bench.Secret, bench.ConnectionString);
Console.WriteLine($"OneInbox report bench: {Environment.ProcessorCount} cores, {conversations:N0} conversations, {conversations * MessagesPerConversation:N0} messages over 12 months");

for (var customer = 0; customer < Customers; customer++)
{
    using var request = BenchServer.TelegramUpdate(connectionId, secret, customer + 1, 5_560_000_000L + customer, "hello");
    (await http.SendAsync(request)).EnsureSuccessStatusCode();
}
await BenchServer.WaitAsync(async () => await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Conversations\"") >= Customers, "the conversations");

// Two published flows (never triggered: their counts are inserted below).
var flows = new List<string>();
foreach (var name in new[] { "Menu", "Orders" })
{
    var graph = System.Text.Json.Nodes.JsonNode.Parse("""
        {"trigger":{"type":"Manual","inputs":{}},"variables":[{"name":"order","type":"text"}],"start":"menu",
         "nodes":[{"id":"menu","type":"SendMessage","typeVersion":1,"inputs":{"text":"Hi!"}},
                  {"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Your order?","variable":"order"}},
                  {"id":"thanks","type":"SendMessage","typeVersion":1,"inputs":{"text":"Thanks."}},
                  {"id":"handoff","type":"HandOff","typeVersion":1,"inputs":{"reason":"Timed out"}},
                  {"id":"rate","type":"AskRating","typeVersion":1,"inputs":{}}],
         "edges":[{"source":"menu","sourcePort":"done","target":"ask"},{"source":"ask","sourcePort":"answered","target":"thanks"},
                  {"source":"ask","sourcePort":"timeout","target":"handoff"},{"source":"thanks","sourcePort":"done","target":"rate"}]}
        """);
    using var imported = await http.PostAsync("/api/v1/flows/import", System.Net.Http.Json.JsonContent.Create(new { format = "oneinbox-flow/1", name, graph }));
    var id = System.Text.Json.JsonDocument.Parse(await imported.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    (await http.PostAsync($"/api/v1/flows/{id}/publish", null)).EnsureSuccessStatusCode();
    flows.Add(id);
}

var seed = Stopwatch.StartNew();
// Conversations: created evenly over 365 days up to an hour ago; answered after 10 s to ~2 h, resolved after 5 min to ~3 d.
await ExecuteAsync($$"""
    INSERT INTO "Conversations" ("Id", "ContactId", "ConnectionId", "Channel", "ConversationKey", "Status", "Priority", "AssigneeId", "TeamId",
        "Labels", "FirstResponseAt", "ResolvedAt", "Rating", "RatedAt", "LastActivityAt", "CreatedAt", "UpdatedAt", "WorkspaceId")
    SELECT gen_random_uuid(), c.contacts[1 + g % c.n], '{{connectionId}}', 0, 'bench-' || g, 3, 0,
           ('00000000-0000-4000-8000-0000000000' || lpad((g % 10)::text, 2, '0'))::uuid,
           ('00000000-0000-4000-9000-0000000000' || lpad((g % 3)::text, 2, '0'))::uuid,
           '{}', s.at + (10 + (g::bigint * 7919) % 7200) * interval '1 second', s.at + (300 + (g::bigint * 104729) % 259200) * interval '1 second',
           CASE WHEN g % 10 < 3 THEN 1 + g % 5 END, CASE WHEN g % 10 < 3 THEN s.at + interval '4 days' END,
           s.at, s.at, s.at, c.workspace
    FROM generate_series(0, {{conversations - 1}}) AS g
    CROSS JOIN (SELECT array_agg("ContactId") AS contacts, count(*)::int AS n, min("WorkspaceId"::text)::uuid AS workspace FROM "Conversations") AS c
    CROSS JOIN LATERAL (SELECT now() - interval '1 hour' - (g::float / {{conversations}}) * interval '365 days' AS at) AS s
    """);
for (var k = 0; k < MessagesPerConversation; k++)
{
    // Customer and business take turns, a minute apart; the agent's replies carry the assignee as author.
    await ExecuteAsync($$"""
        INSERT INTO "Messages" ("Id", "ConversationId", "ConnectionId", "Direction", "Kind", "Text", "IsPrivate", "Attachments",
            "Status", "AuthorType", "AuthorUserId", "SentAt", "CreatedAt", "WorkspaceId")
        SELECT gen_random_uuid(), c."Id", c."ConnectionId", {{k % 2}}, 0, 'a message', false, '[]', 0, {{(k % 2 == 0 ? 0 : 1)}},
               {{(k % 2 == 0 ? "NULL" : "c.\"AssigneeId\"")}}, c."CreatedAt" + {{k}} * interval '1 minute', c."CreatedAt" + {{k}} * interval '1 minute', c."WorkspaceId"
        FROM "Conversations" c WHERE c."ConversationKey" LIKE 'bench-%'
        """);
}
// Two flows of six steps: per hour, runs start, reach each step, leave by an outcome, and a few hand off or stop.
await ExecuteAsync("""
    INSERT INTO "FlowReportHours" ("Id", "HourStart", "FlowId", "Version", "Kind", "NodeId", "Outcome", "Count", "WorkspaceId")
    SELECT gen_random_uuid(), h.hour, f.id, 1, k.kind, k.node, k.outcome, 1 + (extract(hour FROM h.hour)::int * (k.kind + 3)) % 9, w.id
    FROM generate_series(date_trunc('hour', now()) - interval '365 days', date_trunc('hour', now()), interval '1 hour') AS h(hour)
    CROSS JOIN (SELECT "Id" AS id FROM "Flows") AS f
    CROSS JOIN (VALUES (0, '', ''), (1, '', ''), (4, 'handoff', 'step'), (5, 'menu', ''), (6, 'menu', 'done'),
                       (5, 'ask', ''), (6, 'ask', 'answered'), (7, 'ask', ''), (6, 'ask', 'timeout'), (5, 'thanks', ''), (6, 'thanks', 'done'),
                       (5, 'handoff', ''), (5, 'rate', ''), (6, 'rate', 'rated'), (8, 'rate', '5'), (8, 'rate', '2')) AS k(kind, node, outcome)
    CROSS JOIN (SELECT min("WorkspaceId"::text)::uuid AS id FROM "Conversations") AS w
    """);
await ExecuteAsync("ANALYZE");
Console.WriteLine($"seeded {await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Messages\"")} messages, "
    + $"{await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"Conversations\"")} conversations, "
    + $"{await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"FlowReportHours\"")} flow hour rows in {seed.Elapsed.TotalSeconds:F0} s");

// As on a first deployment: nothing counted yet, live counting from now; the server's backfill counts the history.
await Task.Delay(3000);
await ExecuteAsync("""
    DELETE FROM "ReportBackfills"; DELETE FROM "ReportDeltas"; DELETE FROM "ReportHours"; DELETE FROM "ReportDurations";
    UPDATE "ReportEpochs" SET "LiveSince" = now();
    """);
var backfill = Stopwatch.StartNew();
await BenchServer.WaitAsync(async () => await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"ReportBackfills\"") > 0, "the backfill", 100);
var backfilled = backfill.Elapsed;
await BenchServer.WaitAsync(async () => await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"ReportDeltas\"") == 0, "the compaction", 100);
var compacted = backfill.Elapsed;
// The state autovacuum keeps a live database in (visibility maps, statistics), at once rather than when it gets round to it.
await ExecuteAsync("VACUUM ANALYZE");
Console.WriteLine($"backfill: {backfilled.TotalSeconds:F1} s; compacted after {compacted.TotalSeconds:F1} s into "
    + $"{await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"ReportHours\"")} hour rows and "
    + $"{await BenchServer.ScalarAsync(connectionString, "SELECT count(*) FROM \"ReportDurations\"")} durations");

var now = DateTimeOffset.UtcNow;
string Range(int days) => $"from={Uri.EscapeDataString(now.AddDays(-days).ToString("O"))}&to={Uri.EscapeDataString(now.AddHours(1).ToString("O"))}";
var flow = flows[0];
var reports = new (string Name, Func<int, string> Path)[]
{
    ("conversations (business hours)", d => $"/api/v1/reports/conversations?{Range(d)}&groupBy={(d > 31 ? "month" : "day")}&timeZone=Europe/Berlin"),
    ("conversations (calendar time)", d => $"/api/v1/reports/conversations?{Range(d)}&groupBy={(d > 31 ? "month" : "day")}&time=calendar"),
    ("agents", d => $"/api/v1/reports/agents?{Range(d)}"),
    ("teams", d => $"/api/v1/reports/teams?{Range(d)}"),
    ("channels", d => $"/api/v1/reports/channels?{Range(d)}"),
    ("connections", d => $"/api/v1/reports/connections?{Range(d)}"),
    ("automation", d => $"/api/v1/reports/automation?{Range(d)}"),
    ("flow funnel", d => $"/api/v1/reports/flows/{flow}/funnel?version=1&{Range(d)}"),
};
Console.WriteLine($"{"report",-32} {"30 days p50",12} {"p95",8} {"12 months p50",14} {"p95",8}");
foreach (var (name, path) in reports)
{
    var month = await MeasureAsync(async () =>
    {
        using var response = await http.GetAsync(path(30));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsByteArrayAsync();
    });
    var year = await MeasureAsync(async () =>
    {
        using var response = await http.GetAsync(path(365));
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    });
    Console.WriteLine($"{name,-32} {month.P50,10:F1}ms {month.P95,6:F1}ms {year.P50,12:F1}ms {year.P95,6:F1}ms");
}

// Baseline: the day-by-day messages in and out answered by scanning the messages, as a report without aggregates would.
async Task Scan(int days)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using var command = new NpgsqlCommand($"""
        SELECT date_trunc('day', "CreatedAt"), "Direction", count(*) FROM "Messages"
        WHERE "CreatedAt" >= now() - interval '{days} days' GROUP BY 1, 2
        """, db);
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
    }
}
var scanMonth = await MeasureAsync(() => Scan(30));
var scanYear = await MeasureAsync(() => Scan(365));
Console.WriteLine($"{"baseline: scan of the messages",-32} {scanMonth.P50,10:F1}ms {scanMonth.P95,6:F1}ms {scanYear.P50,12:F1}ms {scanYear.P95,6:F1}ms");
return;

async Task<(double P50, double P95)> MeasureAsync(Func<Task> call)
{
    await call(); // warm-up
    var times = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        await call();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return (times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1]);
}

async Task ExecuteAsync(string sql)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 1200 };
    await command.ExecuteNonQueryAsync();
}
