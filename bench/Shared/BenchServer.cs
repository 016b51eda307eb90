using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OneInbox.TestFakes;

namespace OneInbox.Bench;

/// <summary>
/// What every load harness here needs: the real server as a child process on a database of its own, a signed-up
/// workspace with a Telegram connection to the fake, and the raw insert rate of the same PostgreSQL as the floor.
/// </summary>
internal static class BenchServer
{
    public static ServerHandle Start(string webApi, string connectionString, string dataPath, int port, bool runWorkers,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [webApi])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(webApi)!,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing"; // plain HTTP on loopback for the token endpoint
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["OneInbox__DataPath"] = dataPath;
        start.Environment["OneInbox__Identity__AllowSelfSignup"] = "true";
        start.Environment["OneInbox__Outbound__AllowLoopback"] = "true";
        start.Environment["OneInbox__Channels__PublicBaseUrl"] = "https://bench.oneinbox.test/";
        start.Environment["OneInbox__Channels__RunWorkers"] = runWorkers ? "true" : "false";
        if (!runWorkers)
            start.Environment["OneInbox__Channels__InboundBacklogLimit"] = "0"; // nothing drains the backlog: measure storing, never hold (ADR 0016)
        // Telegram's real limits would cap the bench at 30 messages/s per bot; the fake has none, so measure the server.
        start.Environment["OneInbox__Channels__TelegramPerBotPerSecond"] = "100000";
        start.Environment["OneInbox__Channels__TelegramPerChatInterval"] = "00:00:00.001";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        // Warnings and errors only (the log level is Warning); the console logger writes them to standard output.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[server] " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[server] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerHandle(process);
    }

    public static async Task WaitReadyAsync(HttpClient http, ServerHandle host)
    {
        for (var i = 0; i < 300; i++)
        {
            if (host.HasExited)
                throw new InvalidOperationException("The server exited during start.");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The server did not become ready.");
    }

    public static async Task<(string AccessToken, Guid ConnectionId, string Secret)> ConnectTelegramAsync(HttpClient http, FakeTelegramBotApi telegram)
    {
        var accessToken = await SignUpAsync(http);
        var body = await CreateChannelAsync(http, accessToken,
            new { type = "telegram", name = "Bench bot", botToken = telegram.Token, mode = "webhook", baseUrl = telegram.BaseUrl.ToString() });
        return (accessToken, body.GetProperty("connection").GetProperty("id").GetGuid(), body.GetProperty("inboundSecret").GetString()!);
    }

    /// <summary>The fake's number in the workspace the access token is for; deliveries are signed with the fake's app secret.</summary>
    public static async Task<Guid> ConnectWhatsAppAsync(HttpClient http, FakeWhatsAppGraphApi graph, string accessToken)
    {
        var body = await CreateChannelAsync(http, accessToken, new
        {
            type = "whatsapp", name = "Bench number", phoneNumberId = FakeWhatsAppGraphApi.DefaultPhoneNumberId,
            businessAccountId = FakeWhatsAppGraphApi.DefaultBusinessAccountId, accessToken = graph.Token, appSecret = graph.AppSecret,
            baseUrl = graph.BaseUrl.ToString(),
        });
        return body.GetProperty("connection").GetProperty("id").GetGuid();
    }

    private static async Task<string> SignUpAsync(HttpClient http)
    {
        var email = $"bench-{Guid.NewGuid():N}@example.test";
        const string password = "bench password that is long enough";
        var signup = await http.PostAsJsonAsync("/api/v1/signup", new { email, password, displayName = "Bench", workspaceName = "Bench", confirmAdult = true });
        var workspace = JsonDocument.Parse(await signup.Content.ReadAsStringAsync()).RootElement;
        if (!signup.IsSuccessStatusCode)
            throw new InvalidOperationException("Sign-up failed: " + workspace);
        var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "oneinbox-cli", ["username"] = email, ["password"] = password,
            ["scope"] = "openid offline_access api", ["workspace_id"] = workspace.GetProperty("id").GetString()!,
        }));
        return JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonElement> CreateChannelAsync(HttpClient http, string accessToken, object connection)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/channels") { Content = JsonContent.Create(connection) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var created = await http.SendAsync(request);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        if (!created.IsSuccessStatusCode)
            throw new InvalidOperationException("Connecting the channel failed: " + body);
        return body;
    }

    /// <summary>A fresh database on the server; the connection string keeps the server's pool under PostgreSQL's default 100 connections.</summary>
    public static async Task<(string Database, string ConnectionString)> CreateDatabaseAsync(string server, int maxPoolSize = 30)
    {
        var database = $"oneinbox_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin).ExecuteNonQueryAsync();
        }
        return (database, new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = maxPoolSize }.ConnectionString);
    }

    public static async Task DropDatabaseAsync(string server, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
    }

    public static async Task<double> RawInsertRateAsync(string serverConnectionString, int seconds, int concurrency)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { MaxPoolSize = concurrency }.ConnectionString;
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE bench_raw (id uuid PRIMARY KEY, connection_id uuid NOT NULL, provider_id text NOT NULL, payload text NOT NULL, received_at timestamptz NOT NULL, UNIQUE (connection_id, provider_id))", setup).ExecuteNonQueryAsync();
        }
        var payload = new string('x', 900);
        var connection = Guid.NewGuid();
        var count = 0L;
        var until = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            await using var db = new NpgsqlConnection(connectionString);
            await db.OpenAsync();
            var i = 0;
            while (Stopwatch.GetTimestamp() < until)
            {
                await using var insert = new NpgsqlCommand("INSERT INTO bench_raw VALUES ($1, $2, $3, $4, now())", db);
                insert.Parameters.AddWithValue(Guid.CreateVersion7());
                insert.Parameters.AddWithValue(connection);
                insert.Parameters.AddWithValue($"{worker}-{i++}");
                insert.Parameters.AddWithValue(payload);
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref count);
            }
        }));
        return count / (double)seconds;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The usual start of a bench on a throwaway database: the built server with its workers, the fake Telegram, a
    /// signed-up owner with a Telegram bot in webhook mode, and an authenticated client. Disposing drops it all.
    /// </summary>
    public static async Task<TelegramBench> StartTelegramAsync(string server, int connections, IReadOnlyDictionary<string, string>? settings = null)
    {
        var webApi = WebApiDll();
        var (database, connectionString) = await CreateDatabaseAsync(server);
        var dataPath = Directory.CreateTempSubdirectory("oneinbox-bench-").FullName;
        var telegram = await FakeTelegramBotApi.StartAsync();
        var port = FreePort();
        var host = Start(webApi, connectionString, dataPath, port, runWorkers: true, settings ?? new Dictionary<string, string>());
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        await WaitReadyAsync(http, host);
        var (token, connectionId, secret) = await ConnectTelegramAsync(http, telegram);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TelegramBench(server, database, connectionString, dataPath, telegram, host, http, connectionId, secret);
    }

    /// <summary>A Telegram webhook delivery of one text message from <paramref name="chat"/>, with the connection's secret.</summary>
    public static HttpRequestMessage TelegramUpdate(Guid connectionId, string secret, int id, long chat, string text)
    {
        var update = $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"from":{"id":{{{chat}}},"is_bot":false,"first_name":"Pia"},"chat":{"id":{{{chat}}},"type":"private"},"date":1767225600,"text":"{{{text}}}"}}""";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{connectionId}") { Content = new StringContent(update, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return request;
    }

    /// <summary>
    /// A closed loop of <paramref name="concurrency"/> requests in flight for a time, or until a task ends; the
    /// acknowledged (200) requests per second.
    /// </summary>
    public static async Task<double> ClosedLoopAsync(HttpClient http, int concurrency, Func<HttpRequestMessage> next, TimeSpan? duration, Task? until = null)
    {
        var acked = 0;
        var watch = Stopwatch.StartNew();
        bool Running() => until is null ? watch.Elapsed < duration : !until.IsCompleted;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Running())
            {
                using var request = next();
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                    Interlocked.Increment(ref acked);
            }
        }));
        return acked / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Polls until <paramref name="done"/> says so, for at most 10 minutes.</summary>
    public static async Task WaitAsync(Func<Task<bool>> done, string what, int pollMs = 200)
    {
        for (var i = 0; i < 600_000 / pollMs; i++)
        {
            if (await done())
                return;
            await Task.Delay(pollMs);
        }
        throw new TimeoutException($"Waited 10 minutes for {what}.");
    }

    /// <summary>One number from the database (a count).</summary>
    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The PostgreSQL server to create throwaway databases on: the first argument, or ONEINBOX_TEST_POSTGRES.</summary>
    public static string PostgresArgument(string[] args) =>
        args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("ONEINBOX_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Pass a PostgreSQL connection string or set ONEINBOX_TEST_POSTGRES.");

    /// <summary>
    /// The server the benches run as a child process: the Release build, or the one ONEINBOX_BENCH_WEBAPI names (a
    /// published one, e.g. compiled ahead of time with ReadyToRun).
    /// </summary>
    public static string WebApiDll()
    {
        var webApi = Environment.GetEnvironmentVariable("ONEINBOX_BENCH_WEBAPI") is { Length: > 0 } published
            ? published
            : Path.Combine(FindRoot(), "src", "WebApi", "bin", "Release", "net10.0", "OneInbox.WebApi.dll");
        return File.Exists(webApi) ? webApi : throw new InvalidOperationException($"Build the server first: dotnet build -c Release ({webApi} is missing).");
    }

    public static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OneInbox.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository.");
    }
}

/// <summary>The server child process; killed however the bench ends, so a failed run leaves nothing behind.</summary>
internal sealed class ServerHandle(Process process) : IDisposable
{
    private bool _disposed;

    public bool HasExited => _disposed || process.HasExited;

    /// <summary>Idempotent: a bench may stop the server early (to drop its database) and still dispose it on the way out.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}

/// <summary>A running bench server with its Telegram bot (see <see cref="BenchServer.StartTelegramAsync"/>).</summary>
internal sealed record TelegramBench(
    string Server, string Database, string ConnectionString, string DataPath, FakeTelegramBotApi Telegram, ServerHandle Host, HttpClient Http,
    Guid ConnectionId, string Secret) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        Http.Dispose();
        await Telegram.DisposeAsync();
        // ONEINBOX_BENCH_KEEP=1 leaves the database for a look at the query plans afterwards.
        if (Environment.GetEnvironmentVariable("ONEINBOX_BENCH_KEEP") == "1")
            Console.WriteLine($"kept database {Database}");
        else
            await BenchServer.DropDatabaseAsync(Server, Database);
        Directory.Delete(DataPath, recursive: true);
    }
}
