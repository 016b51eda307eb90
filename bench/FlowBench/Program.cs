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

// End-to-end load harness for published flows. It starts the real server as a child process (workers on) on a
// fresh PostgreSQL database, measures two baselines in the same run (raw single-row inserts and the webhook
// acknowledgement rate with no flow published), then publishes a keyword-routing bot and, at increasing offered
// rates, writes from N distinct Telegram chats (one new conversation each). Every reply is observed at the fake
// Telegram Bot API, so the figures cover webhook in -> inbox -> flow -> outbox -> provider out.
//
//   dotnet build -c Release && dotnet run -c Release --project bench/FlowBench -- "Host=127.0.0.1;Port=5432;Username=oneinbox;Database=postgres" [seconds] [rates]

var server = BenchServer.PostgresArgument(args);
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var rates = args.Length > 2 ? args[2].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : [10, 25, 50, 100, 200];
var bursts = args.Length > 3 ? args[3].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : [16, 64];
var nodeCount = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
const int Concurrency = 64;
const int WarmUpRate = 150;
const string NodeOnly = "FLOWBENCH_NODE_";
// A step stops waiting for replies after this long, so an overloaded server ends the run instead of hanging it.
var drainLimit = TimeSpan.FromSeconds(60);
const string PriceReply = "Our prices start at 9 EUR a month.";
const string OrderPrompt = "Which order number?";
const int ResumeConversations = 500;
const int ResumeRate = 50;
const string OtherReply = "Thanks for writing, we will get back to you.";

var webApi = BenchServer.WebApiDll();

// The server's pool stays well under PostgreSQL's default 100 connections, beside the harness's own 64.
var (database, connectionString) = await BenchServer.CreateDatabaseAsync(server);
var dataPath = Directory.CreateTempSubdirectory("oneinbox-flowbench-").FullName;
await using var telegram = await FakeTelegramBotApi.StartAsync();

try
{
    Console.WriteLine($"OneInbox flow bench: {Environment.ProcessorCount} cores, {seconds} s per step, load average before start {LoadAverage()}");
    // Several nodes share the database and the data folder (keys) and name one issuer, as docs/deploy.md sets them up;
    // the harness spreads its requests over them in turn, as a balancer without sticky sessions would.
    var ports = Enumerable.Range(0, nodeCount).Select(_ => BenchServer.FreePort()).ToArray();
    var nodeSettings = new Dictionary<string, string> { ["OneInbox__Identity__Issuer"] = "https://bench.oneinbox.test/" };
    if (Environment.GetEnvironmentVariable("FLOWBENCH_REDIS") is { Length: > 0 } redis)
        nodeSettings["ConnectionStrings__Redis"] = redis;
    // FLOWBENCH_NODE_X=v sets X=v for the server processes alone, e.g. a runtime knob (DOTNET_...) the harness must not get.
    foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
    {
        if (variable.Key is string name && name.StartsWith(NodeOnly, StringComparison.Ordinal))
            nodeSettings[name[NodeOnly.Length..]] = variable.Value as string ?? "";
    }
    var hosts = new List<ServerHandle>();
    foreach (var port in ports)
    {
        var host = BenchServer.Start(webApi, connectionString, dataPath, port, runWorkers: true, nodeSettings);
        hosts.Add(host);
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await BenchServer.WaitReadyAsync(probe, host);
    }
    using var stopHosts = new Disposables(hosts);
    using var http = new HttpClient(new RoundRobin(ports, new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(Concurrency, bursts.Max()) }))
    {
        BaseAddress = new Uri($"http://127.0.0.1:{ports[0]}"),
    };
    Console.WriteLine($"nodes: {nodeCount}{(nodeSettings.ContainsKey("ConnectionStrings__Redis") ? " (Redis backplane)" : "")}"
        + string.Concat(nodeSettings.Where(s => s.Key.StartsWith("DOTNET_", StringComparison.Ordinal)).Select(s => $", {s.Key}={s.Value}")));
    var (accessToken, connectionId, secret) = await BenchServer.ConnectTelegramAsync(http, telegram);

    await using (var db = new NpgsqlConnection(connectionString))
    {
        await db.OpenAsync();
        var dataDirectory = (string)(await new NpgsqlCommand("SHOW data_directory", db).ExecuteScalarAsync())!;
        CpuTimes.Postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    }
    var rawRate = await BenchServer.RawInsertRateAsync(connectionString, seconds, Concurrency);
    Console.WriteLine($"baseline: raw PostgreSQL single-row inserts ({Concurrency} connections, autocommit): {rawRate:F0}/s");

    // Chats for the baseline are outside the range the flow steps use, so every flow conversation is new.
    var nextChat = 5_560_000_000L;
    var updateId = 1_000_000;
    var gate = new Lock();
    (int, long) NextBaselineUpdate()
    {
        lock (gate)
            return (updateId++, 5_550_000_000L + (updateId % 500));
    }
    await AcknowledgementRateAsync(http, connectionId, secret, 2, NextBaselineUpdate); // warm-up: JIT and connection pools
    var ackRate = await AcknowledgementRateAsync(http, connectionId, secret, seconds, NextBaselineUpdate);
    Console.WriteLine($"baseline: webhook acknowledgements with no flow published (closed loop, {Concurrency} in flight): {ackRate:F0}/s");
    await WaitDrainedAsync(connectionString);

    await PublishBotAsync(http, accessToken);
    Console.WriteLine("published: MessageReceived -> Decision(message.text contains 'price') -> SendMessage A / SendMessage B");
    Console.WriteLine($"load average after baselines {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("CPU ms/conv: processor time per answered conversation of the server, of PostgreSQL (all its processes) and of");
    Console.WriteLine("this harness (load generator + fake Telegram); 'ceiling' = cores x 1000 / (server + PostgreSQL) conversations/s.");
    Console.WriteLine();
    Console.WriteLine("offered conv/s  posted  replied  wrong  e2e msg/s  p50 ms  p99 ms  max ms  steps/s  drained s  server  pg  harness  ceiling");
    // Long enough for the runtime to finish optimising the flow path: in a profile of a server one minute old, a seventh
    // of its processor time was still the background JIT, a cost a node running for days does not pay per conversation.
    // Each of several nodes gets as many warm-up conversations as a single node would: with the same warm-up split
    // over two nodes, a profile of their burst found 27 % of the samples still in instrumented or quick-jitted code
    // and 15 % in the JIT thread, against 0.3 % and 8 % on one node, and charged that to the second node.
    // FLOWBENCH_WARMUP_SECONDS sets its length outright, to see whether a figure is still the JIT's.
    var warmUpSeconds = int.TryParse(Environment.GetEnvironmentVariable("FLOWBENCH_WARMUP_SECONDS"), CultureInfo.InvariantCulture, out var given) ? given : seconds * nodeCount;
    var warmUp = await RunStepAsync(http, telegram, connectionString, connectionId, secret, WarmUpRate, warmUpSeconds, drainLimit, () => (updateId++, nextChat++));
    Console.WriteLine($"{"warm-up",14}  {warmUp}");
    var steady = 0.0;
    foreach (var rate in rates)
    {
        var step = await RunStepAsync(http, telegram, connectionString, connectionId, secret, rate, seconds, drainLimit, () => (updateId++, nextChat++));
        Console.WriteLine($"{rate,14}  {step}");
        if (step.Replied < step.Posted)
        {
            Console.WriteLine($"stopping: {step.Posted - step.Replied} conversations unanswered after {drainLimit.TotalSeconds:F0} s");
            await DescribePipelineAsync(connectionString);
            break;
        }
        steady = Math.Max(steady, step.EndToEnd);
    }
    Console.WriteLine();
    Console.WriteLine($"bursts: a closed loop (each delivery followed by the next as soon as it is acknowledged, one new chat each) for {seconds} s;");
    Console.WriteLine($"'answered/s' counts replies that reached the fake during the burst; 'of steady' is that / the best steady step above ({steady:F0}/s);");
    Console.WriteLine("'drained s' is how long after the burst's end the last reply arrived; server, pg and harness are CPU ms per answered conversation;");
    Console.WriteLine("'busy' is the processor time of all three over the burst and its drain, as a share of the machine's cores.");
    Console.WriteLine("in flight  acked  acked/s  answered/s  of steady  drained s  p50 ms  p99 ms  server  pg    harness  busy");
    foreach (var inFlight in bursts)
    {
        var burst = await RunBurstAsync(http, telegram, connectionId, secret, inFlight, seconds, drainLimit, () => (updateId++, nextChat++));
        Console.WriteLine($"{inFlight,9}  {burst.Acknowledged,5}  {burst.AckedPerSecond,7:F0}  {burst.AnsweredPerSecond,10:F0}  {burst.AnsweredPerSecond / steady,9:P0}  {burst.Drained,9:F1}  {burst.P50,6:F0}  {burst.P99,6:F0}  {burst.ServerCpuMs,6:F2}  {burst.PostgresCpuMs,4:F2}  {burst.HarnessCpuMs,7:F2}  {burst.Busy,4:P0}");
    }
    await PublishOrderFlowAsync(http, accessToken);
    Console.WriteLine();
    Console.WriteLine($"resume latency: a flow asks 'which order?' and waits (bookmark persisted); {ResumeConversations} customers answer at {ResumeRate}/s;");
    Console.WriteLine("latency = answer posted to the webhook -> the resumed flow's reply received at the fake");
    var resume = await ResumeLatencyAsync(http, telegram, connectionId, secret, drainLimit, () => (updateId++, nextChat++));
    Console.WriteLine(resume);
    Console.WriteLine($"load average at the end {LoadAverage()}");
}
finally
{
    // FLOWBENCH_KEEP_DATABASE=1 leaves the database behind for EXPLAIN and pg_stat_statements.
    if (Environment.GetEnvironmentVariable("FLOWBENCH_KEEP_DATABASE") == "1")
        Console.WriteLine($"kept database {database}");
    else
        await BenchServer.DropDatabaseAsync(server, database);
    Directory.Delete(dataPath, recursive: true);
}

static async Task PublishBotAsync(HttpClient http, string accessToken)
{
    var graph = JsonDocument.Parse($$$"""
        {"trigger":{"type":"MessageReceived","inputs":{}},"variables":[],"start":"route",
         "nodes":[{"id":"route","type":"Decision","typeVersion":1,"inputs":{"condition":"message.text contains 'price'"}},
                  {"id":"a","type":"SendMessage","typeVersion":1,"inputs":{"text":"{{{PriceReply}}}"}},
                  {"id":"b","type":"SendMessage","typeVersion":1,"inputs":{"text":"{{{OtherReply}}}"}}],
         "edges":[{"source":"route","sourcePort":"true","target":"a"},{"source":"route","sourcePort":"false","target":"b"}]}
        """).RootElement;
    using var import = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows/import") { Content = JsonContent.Create(new { format = "oneinbox-flow/1", name = "Keyword router", graph }) };
    import.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    var imported = await http.SendAsync(import);
    var flow = JsonDocument.Parse(await imported.Content.ReadAsStringAsync()).RootElement;
    if (!imported.IsSuccessStatusCode)
        throw new InvalidOperationException("Importing the bot failed: " + flow);
    using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/flows/{flow.GetProperty("id").GetGuid()}/publish");
    publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    var published = await http.SendAsync(publish);
    if (!published.IsSuccessStatusCode)
        throw new InvalidOperationException("Publishing the bot failed: " + await published.Content.ReadAsStringAsync());
}

/// <summary>A second bot, ahead of the keyword router for messages about an order: ask for the number, wait, thank.</summary>
static async Task PublishOrderFlowAsync(HttpClient http, string accessToken)
{
    var graph = JsonDocument.Parse($$$"""
        {"trigger":{"type":"MessageReceived","inputs":{"keywords":["order"]}},"variables":[{"name":"order","type":"number"}],"start":"ask",
         "nodes":[{"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"{{{OrderPrompt}}}","validation":"number","variable":"order"}},
                  {"id":"thanks","type":"SendMessage","typeVersion":1,"inputs":{"text":"Thanks, looking up order {{ vars.order }}."}}],
         "edges":[{"source":"ask","sourcePort":"answered","target":"thanks"}]}
        """).RootElement;
    async Task<JsonElement> CallAsync(HttpMethod method, string url, object? body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {url} failed: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
    var flow = await CallAsync(HttpMethod.Post, "/api/v1/flows/import", new { format = "oneinbox-flow/1", name = "Order status", graph });
    var id = flow.GetProperty("id").GetGuid();
    await CallAsync(HttpMethod.Patch, $"/api/v1/flows/{id}", new { priority = 10 });
    await CallAsync(HttpMethod.Post, $"/api/v1/flows/{id}/publish", null);
}

/// <summary>
/// Each customer first asks about an order (the flow starts and waits for the answer); once every prompt is out,
/// the answers come in at a steady rate, and each is timed until the resumed flow's reply reaches the fake.
/// </summary>
static async Task<Resume> ResumeLatencyAsync(HttpClient http, FakeTelegramBotApi telegram, Guid connectionId, string secret, TimeSpan drainLimit,
    Func<(int, long)> next)
{
    var chats = Enumerable.Range(0, ResumeConversations).Select(_ => next()).ToList();
    await Task.WhenAll(chats.Select(c => PostAsync(http, connectionId, secret, c.Item1, c.Item2, "where is my order?")));
    var keys = chats.Select(c => c.Item2.ToString(CultureInfo.InvariantCulture)).ToHashSet();
    var waiting = Stopwatch.GetTimestamp();
    while (telegram.CallsTo("sendMessage").Count(c => c.Text("text") == OrderPrompt && keys.Contains(c.Text("chat_id") ?? "")) < chats.Count
           && Stopwatch.GetElapsedTime(waiting) < drainLimit)
        await Task.Delay(100);

    var answeredAt = new Dictionary<string, DateTimeOffset>();
    var started = Stopwatch.GetTimestamp();
    var posts = new List<Task>();
    for (var i = 0; i < chats.Count; i++)
    {
        while (Stopwatch.GetElapsedTime(started).TotalSeconds * ResumeRate < i)
            await Task.Delay(2);
        var (_, chat) = chats[i];
        answeredAt[chat.ToString(CultureInfo.InvariantCulture)] = TimeProvider.System.GetUtcNow();
        posts.Add(PostAsync(http, connectionId, secret, next().Item1, chat, $"{4700 + i}"));
    }
    await Task.WhenAll(posts);
    List<RecordedCall> thanks;
    waiting = Stopwatch.GetTimestamp();
    do
    {
        await Task.Delay(100);
        thanks = telegram.CallsTo("sendMessage").Where(c => (c.Text("text") ?? "").StartsWith("Thanks, looking up order", StringComparison.Ordinal)
                                                         && keys.Contains(c.Text("chat_id") ?? "")).ToList();
    }
    while (thanks.Count < chats.Count && Stopwatch.GetElapsedTime(waiting) < drainLimit);
    var latencies = thanks.GroupBy(c => c.Text("chat_id")!).Select(g => (g.Min(c => c.At) - answeredAt[g.Key]).TotalMilliseconds).Order().ToArray();
    return new Resume(chats.Count, latencies.Length, thanks.Count - latencies.Length, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
        latencies.Length == 0 ? double.NaN : latencies[^1]);
}

static async Task<double> AcknowledgementRateAsync(HttpClient http, Guid connectionId, string secret, int seconds, Func<(int, long)> next)
{
    var acked = 0;
    var started = Stopwatch.GetTimestamp();
    var until = started + (seconds * Stopwatch.Frequency);
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        while (Stopwatch.GetTimestamp() < until)
        {
            var (id, chat) = next();
            if (await PostAsync(http, connectionId, secret, id, chat, "hello there"))
                Interlocked.Increment(ref acked);
        }
    }));
    return acked / Stopwatch.GetElapsedTime(started).TotalSeconds;
}

// The baseline leaves queued inbound work behind; starting the flow steps before it is done would charge it to them.
/// <summary>
/// Waits until the baseline's backlog is processed (no pending envelope or outbox row), so that the flow steps
/// start on an idle pipeline; prints how long that took and the inbound processing rate it implies.
/// </summary>
static async Task WaitDrainedAsync(string connectionString)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    var started = Stopwatch.GetTimestamp();
    var pending = await PendingAsync(db);
    var first = pending;
    for (var i = 0; i < 600 && pending > 0; i++)
    {
        await Task.Delay(1000);
        pending = await PendingAsync(db);
    }
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    Console.WriteLine(pending == 0
        ? $"baseline backlog: {first} envelopes processed in {elapsed:F0} s after the acknowledgements stopped ({(elapsed > 0 ? first / elapsed : 0):F0}/s, no flow)"
        : $"baseline backlog: {pending} of {first} envelopes still pending after {elapsed:F0} s; flow steps start on a busy pipeline");

    static async Task<long> PendingAsync(NpgsqlConnection db) => (long)(await new NpgsqlCommand(
        "SELECT (SELECT count(*) FROM \"InboundEnvelopes\" WHERE \"Status\" = 0) + (SELECT count(*) FROM \"OutboxMessages\" WHERE \"Status\" = 0)", db).ExecuteScalarAsync())!;
}

static async Task<Step> RunStepAsync(
    HttpClient http, FakeTelegramBotApi telegram, string connectionString, Guid connectionId, string secret,
    int rate, int seconds, TimeSpan drainLimit, Func<(int, long)> next)
{
    var total = rate * seconds;
    var sentAt = new Dictionary<string, (DateTimeOffset At, bool AsksPrice)>(total);
    var errors = 0;
    var stepsBefore = await JournalCountAsync(connectionString);
    var cpuBefore = CpuTimes.Take();
    var startedAt = TimeProvider.System.GetUtcNow();
    var started = Stopwatch.GetTimestamp();
    var tasks = new List<Task>(total);
    // Open loop in 5 ms ticks: each tick releases the conversations due by then, so a slow server cannot slow the offered rate.
    var issued = 0;
    while (issued < total)
    {
        var dueNow = Math.Min(total, (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate) + 1);
        for (; issued < dueNow; issued++)
        {
            var (id, chat) = next();
            var asksPrice = issued % 2 == 0;
            var text = asksPrice ? $"what is the price of plan {id}?" : $"hello, question {id}";
            lock (sentAt)
                sentAt[chat.ToString(CultureInfo.InvariantCulture)] = (TimeProvider.System.GetUtcNow(), asksPrice);
            tasks.Add(Task.Run(async () =>
            {
                if (!await PostAsync(http, connectionId, secret, id, chat, text))
                    Interlocked.Increment(ref errors);
            }));
        }
        await Task.Delay(5);
    }
    await Task.WhenAll(tasks);

    var drainStarted = Stopwatch.GetTimestamp();
    var replies = await RepliesAsync(telegram, sentAt.ContainsKey, total - errors, drainLimit);
    var drained = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds;
    var stepsAfter = await JournalCountAsync(connectionString);
    var perConversation = (CpuTimes.Take() - cpuBefore).Per(replies.Count);

    var latencies = replies.Select(r => (r.Value.At - sentAt[r.Key].At).TotalMilliseconds).Order().ToArray();
    var wrong = replies.Count(r => r.Value.Text("text") != (sentAt[r.Key].AsksPrice ? PriceReply : OtherReply));
    // End-to-end rate over the whole window from the first post to the last reply seen at the fake.
    var window = replies.Count == 0 ? double.NaN : (replies.Values.Max(c => c.At) - startedAt).TotalSeconds;
    return new Step(
        total - errors, replies.Count, wrong, replies.Count / window,
        Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length == 0 ? double.NaN : latencies[^1],
        (stepsAfter - stepsBefore) / window, drained,
        perConversation.Server, perConversation.Postgres, perConversation.Harness);
}

/// <summary>
/// A provider's burst: inFlight deliveries in flight, each followed by the next as soon as it is acknowledged, for the
/// given seconds, one new chat each; then waits for every reply. Replies are counted during the burst and after it.
/// </summary>
static async Task<Burst> RunBurstAsync(HttpClient http, FakeTelegramBotApi telegram, Guid connectionId, string secret, int inFlight, int seconds,
    TimeSpan drainLimit, Func<(int, long)> next)
{
    var sentAt = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>();
    var cpuBefore = CpuTimes.Take();
    var startedAt = TimeProvider.System.GetUtcNow();
    var until = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
    var acked = 0;
    var gate = new Lock();
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
    {
        while (Stopwatch.GetTimestamp() < until)
        {
            (int Id, long Chat) delivery;
            lock (gate)
                delivery = next();
            sentAt[delivery.Chat.ToString(CultureInfo.InvariantCulture)] = TimeProvider.System.GetUtcNow();
            if (await PostAsync(http, connectionId, secret, delivery.Id, delivery.Chat, $"hello, question {delivery.Id}"))
                Interlocked.Increment(ref acked);
        }
    })));
    var endedAt = TimeProvider.System.GetUtcNow();

    var replies = await RepliesAsync(telegram, sentAt.ContainsKey, acked, drainLimit);
    var cpu = CpuTimes.Take() - cpuBefore;
    var busy = cpu.Total / ((TimeProvider.System.GetUtcNow() - startedAt).TotalMilliseconds * Environment.ProcessorCount);
    var perConversation = cpu.Per(replies.Count);
    var burstSeconds = (endedAt - startedAt).TotalSeconds;
    var latencies = replies.Select(r => (r.Value.At - sentAt[r.Key]).TotalMilliseconds).Order().ToArray();
    var lastReply = replies.Count == 0 ? endedAt : replies.Values.Max(c => c.At);
    return new Burst(acked, acked / burstSeconds, replies.Values.Count(c => c.At <= endedAt) / burstSeconds,
        Math.Max(0, (lastReply - endedAt).TotalSeconds), Percentile(latencies, 0.50), Percentile(latencies, 0.99),
        perConversation.Server, perConversation.Postgres, perConversation.Harness, busy);
}

/// <summary>The first reply the fake received in each of the chats, once there are as many as expected or the drain limit passed.</summary>
static async Task<Dictionary<string, RecordedCall>> RepliesAsync(FakeTelegramBotApi telegram, Func<string, bool> ours, int expected, TimeSpan drainLimit)
{
    var replies = new Dictionary<string, RecordedCall>();
    var started = Stopwatch.GetTimestamp();
    while (Stopwatch.GetElapsedTime(started) < drainLimit)
    {
        foreach (var call in telegram.CallsTo("sendMessage"))
        {
            if (call.Text("chat_id") is { } chat && ours(chat))
                replies.TryAdd(chat, call);
        }
        if (replies.Count >= expected)
            break;
        await Task.Delay(100);
    }
    return replies;
}

/// <summary>Where unanswered conversations are stuck: envelopes and outbox rows by status, with their last errors.</summary>
static async Task DescribePipelineAsync(string connectionString)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    foreach (var sql in new[]
    {
        "SELECT 'envelopes status ' || \"Status\" || ': ' || count(*) || ' ' || coalesce(max(\"LastError\"), '') FROM \"InboundEnvelopes\" GROUP BY \"Status\"",
        "SELECT 'outbox status ' || \"Status\" || ': ' || count(*) || ' ' || coalesce(max(\"LastError\"), '') FROM \"OutboxMessages\" GROUP BY \"Status\"",
        "SELECT 'flow instances status ' || \"Status\" || ': ' || count(*) FROM \"FlowInstances\" GROUP BY \"Status\"",
        "SELECT 'conversations without a flow instance: ' || count(*) FROM \"Conversations\" c WHERE NOT EXISTS (SELECT 1 FROM \"FlowInstances\" f WHERE f.\"ConversationId\" = c.\"Id\")",
    })
    {
        await using var reader = await new NpgsqlCommand(sql, db).ExecuteReaderAsync();
        while (await reader.ReadAsync())
            Console.WriteLine("  " + reader.GetString(0));
    }
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];

static async Task<long> JournalCountAsync(string connectionString)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    return (long)(await new NpgsqlCommand("SELECT count(*) FROM \"FlowJournal\"", db).ExecuteScalarAsync())!;
}

static async Task<bool> PostAsync(HttpClient http, Guid connectionId, string secret, int updateId, long chat, string text)
{
    var update = JsonSerializer.Serialize(new
    {
        update_id = updateId,
        message = new
        {
            message_id = updateId,
            from = new { id = chat, is_bot = false, first_name = "Load" },
            chat = new { id = chat, type = "private" },
            date = 1767225600,
            text,
        },
    });
    using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connectionId}") { Content = new StringContent(update, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
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

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

internal sealed record Resume(int Customers, int Resumed, int DoubleReplies, double P50, double P99, double Max)
{
    public override string ToString() =>
        $"resumed {Resumed} of {Customers} (double replies: {DoubleReplies}); p50 {P50:F0} ms, p99 {P99:F0} ms, max {Max:F0} ms";
}

/// <summary>Sends each request to the next node in turn: a load balancer without sticky sessions.</summary>
internal sealed class RoundRobin(IReadOnlyList<int> ports, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private uint _next;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var port = ports[(int)(Interlocked.Increment(ref _next) % (uint)ports.Count)];
        request.RequestUri = new UriBuilder(request.RequestUri!) { Port = port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}

internal sealed class Disposables(IEnumerable<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items)
            item.Dispose();
    }
}

internal sealed record Burst(int Acknowledged, double AckedPerSecond, double AnsweredPerSecond, double Drained, double P50, double P99,
    double ServerCpuMs, double PostgresCpuMs, double HarnessCpuMs, double Busy);

internal sealed record Step(int Posted, int Replied, int Wrong, double EndToEnd, double P50, double P99, double Max, double StepsPerSecond, double Drained,
    double ServerCpuMs, double PostgresCpuMs, double HarnessCpuMs)
{
    public override string ToString() =>
        $"{Posted,6}  {Replied,7}  {Wrong,5}  {EndToEnd,9:F1}  {P50,6:F0}  {P99,6:F0}  {Max,6:F0}  {StepsPerSecond,7:F1}  {Drained,9:F1}" +
        $"  {ServerCpuMs,6:F2}  {PostgresCpuMs,5:F2}  {HarnessCpuMs,7:F2}  {Environment.ProcessorCount * 1000 / (ServerCpuMs + PostgresCpuMs),7:F0}";
}

/// <summary>
/// Processor time (ms) used so far by the server child process, by every PostgreSQL process and by this harness, read
/// from /proc: on a machine shared with other work, CPU per conversation is the figure that does not depend on the neighbours.
/// </summary>
internal readonly record struct CpuTimes(double Server, double Postgres, double Harness)
{
    /// <summary>The PostgreSQL server the bench uses (its postmaster and the postmaster's children), not other clusters on the machine.</summary>
    public static int Postmaster { get; set; }

    public static CpuTimes Take()
    {
        double server = 0, postgres = 0;
        var tick = 1000.0 / 100; // USER_HZ is 100 on Linux
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended meanwhile
            }
            var close = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(') + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var used = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * tick;
            var pid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (name == "postgres" && pid == Postmaster)
                postgres += used + (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) * tick; // + children that ended
            else if (name == "postgres" && parent == Postmaster)
                postgres += used;
            else if (name == "dotnet" && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("OneInbox.WebApi.dll", StringComparison.Ordinal))
                server += used;
        }
        return new CpuTimes(server, postgres, Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
    }

    public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Server - b.Server, a.Postgres - b.Postgres, a.Harness - b.Harness);

    public double Total => Server + Postgres + Harness;

    /// <summary>Each figure per answered conversation (none answered counts as one, so nothing divides by zero).</summary>
    public CpuTimes Per(int answered) => new(Server / Math.Max(1, answered), Postgres / Math.Max(1, answered), Harness / Math.Max(1, answered));
}
