using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneInbox.Application.Common;
using OneInbox.Application.Contacts;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Security;

// Seeds one workspace (100k contacts, 20k conversations, 1M messages) into a database of its own, then times
// the agent API's three hot queries through their real handlers and EF Core, each beside a plain SELECT of
// the same rows by primary key (the floor). Usage: InboxBench "<server connection string>" [iterations]
var server = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("ONEINBOX_TEST_POSTGRES")
    ?? throw new InvalidOperationException("Pass a PostgreSQL server connection string (a user that may create databases).");
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
var workspaceId = Guid.Parse("0193a9a0-0000-7000-8000-000000000001");
var database = "oneinbox_bench";

await using (var admin = new NpgsqlConnection(server))
{
    await admin.OpenAsync();
    await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{database}'", admin);
    if (await exists.ExecuteScalarAsync() is null)
    {
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
        await create.ExecuteNonQueryAsync();
    }
}
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 20 }.ConnectionString;
// Message text is encrypted at rest; the context finds the cipher among the application's services.
var cipher = new FieldCipher(new FieldKeyRing("bench", new Dictionary<string, byte[]> { ["bench"] = RandomNumberGenerator.GetBytes(FieldKeyRing.KeySize) }));
var services = new ServiceCollection().AddSingleton<IFieldCipher>(cipher).BuildServiceProvider();
var options = new DbContextOptionsBuilder<PostgresOneInboxDbContext>()
    .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"))
    .UseApplicationServiceProvider(services)
    .Options;

PostgresOneInboxDbContext NewContext()
{
    var workspace = new WorkspaceContext();
    workspace.Enter(workspaceId);
    var db = new PostgresOneInboxDbContext(options);
    db.Serve(workspace, NoEvents.Instance);
    return db;
}

await using (var db = NewContext())
    await db.Database.MigrateAsync();

await using var data = NpgsqlDataSource.Create(connectionString);
if ((long)(await Scalar(data, "SELECT count(*) FROM \"Messages\""))! == 0)
{
    var started = Stopwatch.StartNew();
    await using var seed = data.CreateCommand(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Seed.sql")));
    seed.Parameters.AddWithValue("workspace", workspaceId);
    seed.Parameters.AddWithValue("text", cipher.Encrypt("A message of some ordinary length, as a customer would write it in a conversation"));
    seed.CommandTimeout = 0;
    await seed.ExecuteNonQueryAsync();
    await using var analyze = data.CreateCommand("VACUUM ANALYZE");
    await analyze.ExecuteNonQueryAsync();
    Console.WriteLine($"seeded in {started.Elapsed.TotalSeconds:0.0} s");
}
Console.WriteLine($"rows: contacts {await Scalar(data, "SELECT count(*) FROM \"Contacts\"")}, conversations {await Scalar(data, "SELECT count(*) FROM \"Conversations\"")}, messages {await Scalar(data, "SELECT count(*) FROM \"Messages\"")}");

var agents = Enumerable.Range(0, 20).Select(i => Guid.Parse(Md5Uuid("agent" + i))).ToArray();
var conversationIds = Enumerable.Range(1, 20000).Select(i => Guid.Parse(Md5Uuid("conversation" + i))).ToArray();
var random = new Random(42);

Console.WriteLine();
Console.WriteLine("query                                    | api p50 | api p95 | floor p50 | floor p95 (ms)");
await Measure("open conversations of an assignee (50)", async () =>
{
    await using var db = NewContext();
    var page = await new ListConversationsHandler(db, new Agent(null)).Handle(
        new ListConversations(Status: ConversationStatus.Open, AssigneeId: agents[random.Next(agents.Length)], Limit: 50), CancellationToken.None);
    return page.Items.Select(c => c.Id).ToArray();
}, "SELECT * FROM \"Conversations\" WHERE \"Id\" = ANY(@ids)");

await Measure("latest 50 messages of a conversation", async () =>
{
    await using var db = NewContext();
    var page = await new ListMessagesHandler(db).Handle(new ListMessages(conversationIds[random.Next(conversationIds.Length)], Limit: 50), CancellationToken.None);
    return page.Items.Select(m => m.Id).ToArray();
}, "SELECT * FROM \"Messages\" WHERE \"Id\" = ANY(@ids)");

await Measure("contact search by phone", async () =>
{
    await using var db = NewContext();
    var page = await new ListContactsHandler(db).Handle(new ListContacts($"+1415{2000000 + random.Next(1, 100001)}", null, 50), CancellationToken.None);
    return page.Items.Select(c => c.Id).ToArray();
}, "SELECT * FROM \"Contacts\" WHERE \"Id\" = ANY(@ids)");

string[] prefixes = ["ann", "bob s", "carla no", "eva", "grace i", "pablo r", "tara w", "quinn"];
await Measure("contact search by name prefix", async () =>
{
    await using var db = NewContext();
    var page = await new ListContactsHandler(db).Handle(new ListContacts(prefixes[random.Next(prefixes.Length)], null, 50), CancellationToken.None);
    return page.Items.Select(c => c.Id).ToArray();
}, "SELECT * FROM \"Contacts\" WHERE \"Id\" = ANY(@ids)");

async Task Measure(string name, Func<Task<Guid[]>> api, string floorSql)
{
    for (var i = 0; i < 20; i++)
        await api();
    var apiTimes = new List<double>();
    var floorTimes = new List<double>();
    var empty = 0;
    for (var i = 0; i < iterations; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var ids = await api();
        apiTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (ids.Length == 0)
            empty++;

        started = Stopwatch.GetTimestamp();
        await using var floor = data.CreateCommand(floorSql);
        floor.Parameters.AddWithValue("ids", ids);
        await using (var reader = await floor.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
            }
        }
        floorTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-40} | {P(apiTimes, 50),7:0.00} | {P(apiTimes, 95),7:0.00} | {P(floorTimes, 50),9:0.00} | {P(floorTimes, 95),9:0.00}{(empty > 0 ? $"   ({empty} empty pages)" : "")}"));
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}

static async Task<object?> Scalar(NpgsqlDataSource data, string sql)
{
    await using var command = data.CreateCommand(sql);
    return await command.ExecuteScalarAsync();
}

// Not security: the seed derives its ids with PostgreSQL's md5(), and the bench must derive the same ones.
#pragma warning disable CA5351
static string Md5Uuid(string value)
{
    var hex = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
    return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
}
#pragma warning restore CA5351

internal sealed class Agent(Guid? userId) : ICurrentUser
{
    public Guid? UserId => userId;

    public WorkspaceRole? Role => WorkspaceRole.Agent;

    public bool IsPlatformAdmin => false;
}

internal sealed class NoEvents : IPublisher
{
    public static readonly NoEvents Instance = new();

    public ValueTask Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
        where TNotification : INotification => ValueTask.CompletedTask;

    public ValueTask Publish(object notification, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
