using System.Diagnostics;
using System.Net;
using System.Text;

namespace OneInbox.IntegrationTests.Infrastructure;

/// <summary>
/// The built server (same configuration as the test run) in its own process, on a free loopback port: what crash
/// and cluster tests kill (SIGKILL, no graceful shutdown) and start again, or run several of side by side.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public bool HasExited => _process.HasExited;

    /// <summary>What the server wrote (warnings and errors at the tests' log level), for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_errors)
                return _errors.ToString();
        }
    }

    /// <param name="settings">More configuration as environment variables (`Section__Key`), over the defaults here.</param>
    public static ServerProcess Start(string connectionString, string dataPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var testBin = AppContext.BaseDirectory;
        var configuration = testBin.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(testBin);
        while (!File.Exists(Path.Combine(root.FullName, "OneInbox.sln")))
            root = root.Parent!;
        var dll = Path.Combine(root.FullName, "src", "WebApi", "bin", configuration, "net10.0", "OneInbox.WebApi.dll");
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["OneInbox__DataPath"] = dataPath;
        start.Environment["OneInbox__Identity__AllowSelfSignup"] = "true";
        start.Environment["OneInbox__Identity__TokenRequestsPerMinutePerIp"] = "1000000";
        start.Environment["OneInbox__Identity__TokenRequestsPerMinutePerUser"] = "1000000";
        start.Environment["OneInbox__Outbound__AllowLoopback"] = "true";
        start.Environment["OneInbox__Channels__PublicBaseUrl"] = "https://crash.oneinbox.test/";
        start.Environment["OneInbox__Channels__Lease"] = "00:00:03";
        start.Environment["OneInbox__Channels__FirstRetryDelay"] = "00:00:05";
        start.Environment["OneInbox__Channels__MaxAttempts"] = "1000";
        start.Environment["OneInbox__Channels__TelegramPerBotPerSecond"] = "40";
        start.Environment["OneInbox__Channels__TelegramPerChatInterval"] = "00:00:00.001";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => { lock (server._errors) server._errors.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (server._errors) server._errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public async Task WaitReadyAsync()
    {
        // Generous: a cold start beside other test projects on a busy 2-core machine has taken over 90 s.
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(180);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("The server exited during start: " + _errors);
            try
            {
                if ((await Client.GetAsync("/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The server did not become ready: " + _errors);
    }

    /// <summary>SIGKILL: no graceful shutdown, no flushing, as a crash or an OOM kill.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        Client.Dispose();
    }
}
