using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Security;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Privacy;

/// <summary>
/// Erasure with crypto-shredding, proved from outside: every table and every stored file is read through the
/// application's own decryption, and a database dump taken before the erasure is restored and read again.
/// </summary>
public class ErasureTests(OneInboxApp app) : ApiTest(app)
{
    private const string Name = "Zelda Quartermaine";
    private const string Phone = "+14155550199";
    private const string Email = "zelda.q@example.test";
    private const string NoteText = "Zelda prefers calls after six";
    private const string ReplyText = "Your parcel QX-9911 is on its way";
    // Unique per test: the fixture's data folder is shared, and the legal-hold test keeps its files on purpose.
    private readonly byte[] FileBytes = Encoding.UTF8.GetBytes($"ZQ-ATTACHMENT-BYTES-{Guid.NewGuid():N}");

    private static string Said(int i) => $"my secret number is {i * 7919}-zq";

    [Fact]
    public async Task An_erased_contact_leaves_nothing_readable_in_any_table_or_file_and_an_older_dump_cannot_decrypt_them()
    {
        var a = await App.CreateWorkspaceAsync();
        var owner = a.Owner.Client;
        var connectionId = Guid.NewGuid();
        var seeded = await SeedAsync(a, connectionId, messages: 25);
        var cipher = App.Services.GetRequiredService<IFieldCipher>();

        var sealedBefore = await ReadColumnAsync(App.ConnectionString, "Messages", "Text", seeded.ConversationId);
        Assert.All(sealedBefore, v => Assert.StartsWith("c1.", v, StringComparison.Ordinal));
        Assert.Contains(Said(3), sealedBefore.Select(cipher.Decrypt));
        var dump = await DumpAsync(App.ConnectionString);

        var request = await (await owner.PostJsonAsync("/api/v1/privacy/requests", new { type = "erasure", channel = "api", identityChannel = "telegram", externalId = "770077" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal(seeded.ContactId, request.GetProperty("contactId").GetGuid());
        var completed = await (await owner.PostJsonAsync($"/api/v1/privacy/requests/{request.GetProperty("id").GetGuid()}/complete", new { }))
            .ReadAsync<JsonElement>();
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.True(completed.GetProperty("subjectErased").GetBoolean());

        var found = await ScanDatabaseAsync(cipher);
        found.AddRange(ScanFiles());
        Assert.True(found.Count == 0, "Personal data left after erasure:\n" + string.Join("\n", found));

        // The confirmation went into the outbox, addressed to the chat, under the installation's key.
        var outbox = await ReadAllAsync(App.ConnectionString, """SELECT "Payload" FROM "OutboxMessages" """);
        Assert.Contains(outbox.Select(cipher.Decrypt), p => p.Contains("has been deleted", StringComparison.Ordinal) && p.Contains("770077", StringComparison.Ordinal));

        var restored = await RestoreAsync(dump);
        try
        {
            var fromBackup = await ReadColumnAsync(restored, "Messages", "Text", seeded.ConversationId);
            Assert.Equal(sealedBefore.Count, fromBackup.Count);
            Assert.All(fromBackup.Select(cipher.Decrypt), text => Assert.Equal(FieldCipher.Erased, text));
            var notes = await ReadAllAsync(restored, """SELECT "Text" FROM "ContactNotes" """);
            Assert.All(notes.Select(cipher.Decrypt), text => Assert.DoesNotContain("Zelda", text, StringComparison.Ordinal));
        }
        finally
        {
            await TestDatabase.DropAsync(restored);
        }
    }

    [Fact]
    public async Task A_legal_hold_refuses_erasure_with_its_reason_and_the_agents_delete_too()
    {
        var a = await App.CreateWorkspaceAsync();
        var owner = a.Owner.Client;
        var seeded = await SeedAsync(a, Guid.NewGuid(), messages: 2);
        await (await owner.PostJsonAsync("/api/v1/privacy/legal-holds", new { contactId = seeded.ContactId, reason = "Invoices kept for tax law until 2031" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);

        var request = await (await owner.PostJsonAsync("/api/v1/privacy/requests", new { type = "erasure", channel = "email", email = Email }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var refused = await (await owner.PostJsonAsync($"/api/v1/privacy/requests/{request.GetProperty("id").GetGuid()}/complete", new { })).ReadAsync<JsonElement>();
        Assert.Equal("refused", refused.GetProperty("status").GetString());
        Assert.Contains("Invoices kept for tax law until 2031", refused.GetProperty("refusalReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("Legal hold", refused.GetProperty("refusalLegalBasis").GetString(), StringComparison.Ordinal);

        var delete = await owner.DeleteAsync($"/api/v1/contacts/{seeded.ContactId}");
        var problem = await delete.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Invoices kept for tax law", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await owner.GetAsync($"/api/v1/contacts/{seeded.ContactId}")).ReadAsync<JsonElement>();

        // The person is told, over their channel, why.
        var cipher = App.Services.GetRequiredService<IFieldCipher>();
        var outbox = await ReadAllAsync(App.ConnectionString, """SELECT "Payload" FROM "OutboxMessages" """);
        Assert.Contains(outbox.Select(cipher.Decrypt), p => p.Contains("legal hold", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_agents_delete_erases_and_the_contact_is_gone()
    {
        var a = await App.CreateWorkspaceAsync();
        var seeded = await SeedAsync(a, Guid.NewGuid(), messages: 3);
        var delete = await a.Owner.Client.DeleteAsync($"/api/v1/contacts/{seeded.ContactId}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await (await a.Owner.Client.GetAsync($"/api/v1/contacts/{seeded.ContactId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await a.Owner.Client.GetAsync($"/api/v1/conversations/{seeded.ConversationId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await ReadAllAsync(App.ConnectionString, $"""SELECT "Text" FROM "Messages" WHERE "ConversationId" = '{seeded.ConversationId}'"""));
    }

    private sealed record Seeded(Guid ContactId, Guid ConversationId);

    private async Task<Seeded> SeedAsync(TestWorkspace a, Guid connectionId, int messages)
    {
        ReceivedMessage? first = null;
        for (var i = 0; i < messages; i++)
        {
            var received = await App.InWorkspaceAsync(a.Id, services => services.GetRequiredService<ISender>().Send(new ReceiveMessage(
                connectionId, ChannelType.Telegram,
                new InboundMessage($"zq-{i}", new ChannelSender("770077", Name, "zeldaq", null, null), "770077", MessageKind.Text, Said(i), DateTimeOffset.UtcNow, []))).AsTask());
            first ??= received;
        }
        var owner = a.Owner.Client;
        await (await owner.PatchJsonAsync($"/api/v1/contacts/{first!.ContactId}", new { phoneNumbers = new[] { Phone }, emails = new[] { Email } })).ReadAsync<JsonElement>();
        await (await owner.PostJsonAsync($"/api/v1/contacts/{first.ContactId}/notes", new { text = NoteText })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var upload = new ByteArrayContent(FileBytes);
        upload.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var attachment = await (await owner.PostAsync("/api/v1/attachments?fileName=zelda-invoice.txt", upload)).ReadAsync<JsonElement>(HttpStatusCode.Created);
        await (await owner.PostJsonAsync($"/api/v1/conversations/{first.ConversationId}/messages",
            new { text = ReplyText, attachmentIds = new[] { attachment.GetProperty("id").GetGuid() } })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        return new Seeded(first.ContactId, first.ConversationId);
    }

    private IEnumerable<string> Forbidden() =>
        [Name, "zeldaq", Phone, Email, NoteText, ReplyText, "zelda-invoice", .. Enumerable.Range(0, 25).Select(Said)];

    /// <summary>Every text column of every table, read through the application's decryption where it is ciphertext.</summary>
    private async Task<List<string>> ScanDatabaseAsync(IFieldCipher cipher)
    {
        var found = new List<string>();
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var command = new NpgsqlCommand("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'bytea')
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                columns.Add((reader.GetString(0), reader.GetString(1)));
        }
        Assert.Contains(columns, c => c.Table == "Messages");
        var forbidden = Forbidden().ToList();
        foreach (var (table, column) in columns)
        {
            await using var command = new NpgsqlCommand($"""SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL""", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var value = reader.GetString(0);
                var readable = value.StartsWith("v1.", StringComparison.Ordinal) || value.StartsWith("c1.", StringComparison.Ordinal) ? cipher.Decrypt(value) : value;
                foreach (var secret in forbidden.Where(s => readable.Contains(s, StringComparison.OrdinalIgnoreCase)))
                    found.Add($"{table}.{column}: {secret}");
                if (readable.Contains(Convert.ToBase64String(FileBytes), StringComparison.Ordinal) || readable.Contains(Encoding.UTF8.GetString(FileBytes), StringComparison.Ordinal))
                    found.Add($"{table}.{column}: attachment bytes");
            }
        }
        return found;
    }

    private IEnumerable<string> ScanFiles()
    {
        var needles = Forbidden().Select(Encoding.UTF8.GetBytes).Append(FileBytes).ToList();
        foreach (var file in Directory.EnumerateFiles(App.DataPath, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            if (needles.Any(n => bytes.AsSpan().IndexOf(n) >= 0))
                yield return "file " + Path.GetRelativePath(App.DataPath, file);
        }
    }

    private static async Task<List<string>> ReadColumnAsync(string connectionString, string table, string column, Guid conversationId) =>
        await ReadAllAsync(connectionString, $"""SELECT "{column}" FROM "{table}" WHERE "ConversationId" = '{conversationId}' AND "{column}" IS NOT NULL""");

    private static async Task<List<string>> ReadAllAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    private static async Task<string> DumpAsync(string connectionString)
    {
        var file = Path.Combine(Path.GetTempPath(), $"oneinbox-dump-{Guid.NewGuid():N}.dump");
        await RunAsync("pg_dump", connectionString, $"-Fc -f {file}");
        return file;
    }

    private static async Task<string> RestoreAsync(string dump)
    {
        var restored = await TestDatabase.CreateAsync("oneinbox_restored");
        await RunAsync("pg_restore", restored, $"--no-owner -d {new NpgsqlConnectionStringBuilder(restored).Database} {dump}");
        File.Delete(dump);
        return restored;
    }

    private static async Task RunAsync(string tool, string connectionString, string arguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool, $"-h {builder.Host} -p {builder.Port} -U {builder.Username} {(tool == "pg_dump" ? builder.Database : string.Empty)} {arguments}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        if (!string.IsNullOrEmpty(builder.Password))
            start.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
    }
}
