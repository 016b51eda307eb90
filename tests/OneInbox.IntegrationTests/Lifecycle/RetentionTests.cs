using OneInbox.Application.Attachments;
using System.Net;
using System.Text;
using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;
using OneInbox.IntegrationTests.Inbox;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Lifecycle;

/// <summary>
/// Retention with a fake clock: data is written 400 days ago, the clock moves to today, the Owner sets the periods
/// and runs the purge over HTTP; what expired is gone (rows and files), what is young or held stays.
/// </summary>
public class RetentionTests(OneInboxApp app) : ApiTest(app)
{
    private readonly DateTimeOffset _today = TimeProvider.System.GetUtcNow();
    private FakeTimeProvider _clock = null!;
    private WebApplicationFactory<Program> _host = null!;
    private TestWorkspace _workspace = null!;
    private HttpClient _owner = null!;
    private Guid _connectionId;
    private int _next;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _clock = new FakeTimeProvider(_today.AddDays(-400));
        _host = App.WithWebHostBuilder(host =>
        {
            host.UseSetting("OneInbox:Retention:RunWorker", "false");
            host.UseSetting("OneInbox:Retention:PauseBetweenBatches", "00:00:00");
            host.UseSetting("OneInbox:Retention:BatchSize", "2");
            host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock));
        });
        _workspace = await App.CreateWorkspaceAsync();
        _owner = _host.CreateClient();
        _owner.DefaultRequestHeaders.Authorization = _workspace.Owner.Client.DefaultRequestHeaders.Authorization;
        _connectionId = await InWorkspaceAsync(async (_, db) =>
        {
            var connection = ChannelConnection.Create(ChannelType.Api, "Shop", "{}", "secret", ConnectionMode.Webhook, null, "https://shop.example/callback", _clock);
            db.ChannelConnections.Add(connection);
            await db.SaveChangesAsync();
            return connection.Id;
        });
    }

    public override async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_purge_deletes_expired_messages_files_journal_payloads_and_audit_events_and_keeps_young_held_rows_and_conversations()
    {
        // 400 days ago: Ann (who will be under a legal hold) and Ben write; Ben sends a file; a flow journals; a payload is processed.
        var annOld = await ReceiveAsync("ann", "Ann's old message");
        var file = await SaveFileAsync();
        var benOld = await ReceiveAsync("ben", "Ben's old photo", file);
        var oldJournal = await JournalAsync();
        var oldPayload = await ProcessedEnvelopeAsync();
        var oldAudit = await AuditAsync();

        _clock.SetUtcNow(_today);
        var benYoung = await ReceiveAsync("ben", "Ben's message of today");
        var youngJournal = await JournalAsync();
        var youngPayload = await ProcessedEnvelopeAsync();
        (await _owner.PostJsonAsync("/api/v1/privacy/legal-holds", new { contactId = annOld.ContactId, reason = "Court order 12/2026" })).EnsureSuccessStatusCode();

        var settings = await (await _owner.PutAsync("/api/v1/workspace/retention", Json(new { messageDays = 365, journalDays = 365, exportDays = 7, processedPayloadDays = 7, auditDays = 365 })))
            .ReadAsync<JsonElement>();
        Assert.Equal(365, settings.GetProperty("messageDays").GetInt32());

        var report = await (await _owner.PostAsync("/api/v1/workspace/retention/purge", null)).ReadAsync<JsonElement>();
        Assert.Equal(1, report.GetProperty("messages").GetInt32());
        Assert.Equal(1, report.GetProperty("files").GetInt32());
        Assert.Equal(1, report.GetProperty("journalEntries").GetInt32());
        Assert.Equal(1, report.GetProperty("processedPayloads").GetInt32());
        Assert.True(report.GetProperty("auditEvents").GetInt32() >= 1);

        Assert.Equal(0L, await App.CountAsync("Messages", $"\"Id\" = '{benOld.MessageId}'"));
        Assert.False(File.Exists(Path.Combine(App.DataPath, "attachments", file.Replace('/', Path.DirectorySeparatorChar))));
        Assert.Equal(1L, await App.CountAsync("Messages", $"\"Id\" = '{annOld.MessageId}'"));
        Assert.Equal(1L, await App.CountAsync("Messages", $"\"Id\" = '{benYoung.MessageId}'"));
        Assert.Equal(0L, await App.CountAsync("FlowJournal", $"\"Id\" = '{oldJournal}'"));
        Assert.Equal(1L, await App.CountAsync("FlowJournal", $"\"Id\" = '{youngJournal}'"));
        Assert.Equal(0L, await App.CountAsync("InboundEnvelopes", $"\"Id\" = '{oldPayload}'"));
        Assert.Equal(1L, await App.CountAsync("InboundEnvelopes", $"\"Id\" = '{youngPayload}'"));
        Assert.Equal(0L, await App.CountAsync("AuditEvents", $"\"Id\" = '{oldAudit}'"));

        // Conversations and contacts stay, with what reports are computed from.
        Assert.Equal(2L, await App.CountAsync("Conversations", $"\"WorkspaceId\" = '{_workspace.Id}'"));
        Assert.Equal(2L, await App.CountAsync("Contacts", $"\"WorkspaceId\" = '{_workspace.Id}'"));

        // The run is audited and shown with the settings.
        var shown = await (await _owner.GetAsync("/api/v1/workspace/retention")).ReadAsync<JsonElement>();
        Assert.Contains("messages=1;files=1", shown.GetProperty("lastPurge").GetProperty("details").GetString(), StringComparison.Ordinal);
        var audit = await (await _owner.GetAsync("/api/v1/audit-events?action=retention.purged")).ReadAsync<JsonElement>();
        Assert.Single(audit.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_legal_hold_on_the_workspace_keeps_everything()
    {
        var old = await ReceiveAsync("ann", "Ann's old message");
        _clock.SetUtcNow(_today);
        (await _owner.PostJsonAsync("/api/v1/privacy/legal-holds", new { reason = "Regulator's inquiry" })).EnsureSuccessStatusCode();

        var report = await (await _owner.PostAsync("/api/v1/workspace/retention/purge", null)).ReadAsync<JsonElement>();

        Assert.True(report.GetProperty("held").GetBoolean());
        Assert.Equal(1L, await App.CountAsync("Messages", $"\"Id\" = '{old.MessageId}'"));
    }

    [Fact]
    public async Task Only_an_owner_changes_retention_and_until_deleted_needs_a_reason()
    {
        _clock.SetUtcNow(_today);
        var defaults = await (await _owner.GetAsync("/api/v1/workspace/retention")).ReadAsync<JsonElement>();
        Assert.Equal(365, defaults.GetProperty("messageDays").GetInt32());
        Assert.Equal(730, defaults.GetProperty("auditDays").GetInt32());

        var noReason = await _owner.PutAsync("/api/v1/workspace/retention", Json(new { messageDays = (int?)null, journalDays = 365, exportDays = 7, processedPayloadDays = 7, auditDays = 730 }));
        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        var kept = await (await _owner.PutAsync("/api/v1/workspace/retention", Json(new { messageDays = (int?)null, keepMessagesReason = "Contracts are kept for the warranty", journalDays = 365, exportDays = 7, processedPayloadDays = 7, auditDays = 730 })))
            .ReadAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, kept.GetProperty("messageDays").ValueKind);

        var admin = await _workspace.MemberAsync(WorkspaceRole.Admin);
        var refused = await admin.Client.PutAsync("/api/v1/workspace/retention", Json(new { messageDays = 30, journalDays = 365, exportDays = 7, processedPayloadDays = 7, auditDays = 730 }));
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        var agent = await _workspace.ClientAsync(WorkspaceRole.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/workspace/retention")).StatusCode);
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_audit_rows_outside_the_purge()
    {
        _clock.SetUtcNow(_today);
        var id = await AuditAsync();
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { $"UPDATE \"AuditEvents\" SET \"Action\" = 'forged' WHERE \"Id\" = '{id}'", $"DELETE FROM \"AuditEvents\" WHERE \"Id\" = '{id}'" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        Assert.Equal(1L, await App.CountAsync("AuditEvents", $"\"Id\" = '{id}' AND \"Action\" = 'test.old'"));
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    private async Task<ReceivedMessage> ReceiveAsync(string sender, string text, string? storageKey = null)
    {
        var attachments = storageKey is null ? Array.Empty<InboundAttachment>() : [new InboundAttachment(MessageKind.Image, null, storageKey, "photo.png", "image/png", 4)];
        var message = new InboundMessage($"p-{Interlocked.Increment(ref _next)}", new ChannelSender(sender, "Customer " + sender, null, null, "en"),
            "chat-" + sender, storageKey is null ? MessageKind.Text : MessageKind.Image, text, _clock.GetUtcNow(), attachments);
        return await InWorkspaceAsync((services, _) => services.GetRequiredService<ISender>().Send(new ReceiveMessage(_connectionId, ChannelType.Api, message)).AsTask());
    }

    private Task<string> SaveFileAsync() => InWorkspaceAsync(async (services, _) =>
        (await services.GetRequiredService<IAttachmentStore>().SaveAsync(_workspace.Id, new MemoryStream([1, 2, 3, 4]), 1024, CancellationToken.None)).StorageKey);

    private Task<Guid> JournalAsync() => InWorkspaceAsync(async (_, db) =>
    {
        var entry = new FlowJournalEntry(Guid.NewGuid(), 1, 1, "menu", "SendMessage", "{}", "done", _clock.GetUtcNow(), 1, [], null, null);
        db.FlowJournal.Add(entry);
        await db.SaveChangesAsync();
        return entry.Id;
    });

    private Task<Guid> ProcessedEnvelopeAsync() => InWorkspaceAsync(async (_, db) =>
    {
        var envelope = InboundEnvelope.Receive(_workspace.Id, _connectionId, $"env-{Interlocked.Increment(ref _next)}", "chat-ben", "{}", _clock);
        envelope.MarkProcessed(_clock);
        db.InboundEnvelopes.Add(envelope);
        await db.SaveChangesAsync();
        return envelope.Id;
    });

    private Task<Guid> AuditAsync() => InWorkspaceAsync(async (_, db) =>
    {
        var row = AuditEvent.Record(_workspace.Id, "test.old", "someone", null, null, null, _clock);
        db.AuditEvents.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    });

    private async Task<T> InWorkspaceAsync<T>(Func<IServiceProvider, OneInboxDbContext, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(_workspace.Id);
        return await work(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<OneInboxDbContext>());
    }
}
