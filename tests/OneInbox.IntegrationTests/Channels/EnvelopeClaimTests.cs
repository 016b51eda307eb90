using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Inbound;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;
using OneInbox.IntegrationTests.Inbox;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Channels;

/// <summary>
/// What a claim takes off the pending envelopes (ADR 0021), on the statistics a real table has: taken while nothing was
/// pending. Conversations in arrival order, each from its oldest pending envelope with at most a run behind it; none
/// whose oldest envelope another node holds or that waits for its retry; a row another claimer has locked is skipped,
/// not waited for. The workers are off, so the test alone claims.
/// </summary>
public sealed class EnvelopeClaimTests(OneInboxApp app) : ApiTest(app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_claim_takes_due_conversations_oldest_first_with_their_runs_and_leaves_held_and_waiting_ones()
    {
        var (workspace, connectionId) = await QuietTableAsync();

        var a = await AddAsync(workspace.Id, connectionId, [("a1", "chat-a"), ("a2", "chat-a"), ("a3", "chat-a")]);
        var b = await AddAsync(workspace.Id, connectionId, [("b1", "chat-b"), ("b2", "chat-b")]);
        var c = await AddAsync(workspace.Id, connectionId, [("c1", "chat-c"), ("c2", "chat-c")]);
        var d = await AddAsync(workspace.Id, connectionId, [("d1", "chat-d")]);
        var e = await AddAsync(workspace.Id, connectionId, [("e1", "chat-e"), ("e2", "chat-e")]);
        var f = await AddAsync(workspace.Id, connectionId, [("f1", "chat-f")]);
        // Another node holds chat-b; chat-c's oldest message failed and waits for its retry; chat-e's first was processed.
        await App.ExecuteAsync($"""UPDATE "InboundEnvelopes" SET "LeaseUntil" = now() + interval '1 minute' WHERE "Id" = '{b[0]}'""");
        await App.ExecuteAsync($"""UPDATE "InboundEnvelopes" SET "NextAttemptAt" = now() + interval '1 minute', "Attempts" = 1 WHERE "Id" = '{c[0]}'""");
        await App.ExecuteAsync($"""UPDATE "InboundEnvelopes" SET "Status" = 1, "ProcessedAt" = now() WHERE "Id" = '{e[0]}'""");

        // A claim of another node is in progress on chat-f: its row is locked, and this claim must pass it by, not wait.
        await using var other = new NpgsqlConnection(App.ConnectionString);
        await other.OpenAsync();
        await using var otherClaim = await other.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"""SELECT 1 FROM "InboundEnvelopes" WHERE "Id" = '{f[0]}' FOR UPDATE""", other, otherClaim))
            await lockRow.ExecuteScalarAsync();

        var claimed = await ClaimAsync(workspace.Id, batch: 10, run: 2);

        // chat-a's first two (a run of at most two), chat-d, and chat-e from its pending second message; in arrival order.
        var expected = new[] { a[0], a[1], d[0], e[1] }.Order().ToList();
        Assert.Equal(expected, claimed.Select(r => r.Id).ToList());
        Assert.Equal(claimed.Single(r => r.Id == a[0]).OrderGroup, claimed.Single(r => r.Id == a[1]).OrderGroup);
        Assert.All(claimed, r => Assert.Equal(workspace.Id, r.WorkspaceId));
        // Each claimed row is leased; the rest are not.
        Assert.Equal(4, await App.ScalarAsync<long>("""SELECT count(*) FROM "InboundEnvelopes" WHERE "LeaseUntil" > now() + interval '20 seconds' AND "LeaseUntil" < now() + interval '40 seconds'"""));

        // chat-a is held by this claim until its lease runs out: its third message is not claimed on its own.
        Assert.Empty(await ClaimAsync(workspace.Id, batch: 10, run: 2));

        // The other claim ends without taking chat-f: the next claim takes it.
        await otherClaim.RollbackAsync();
        Assert.Equal([f[0]], (await ClaimAsync(workspace.Id, batch: 10, run: 2)).Select(r => r.Id).ToList());

        // Once chat-a's two are processed, its third is the conversation's oldest and is claimed; a batch of one takes
        // the oldest due conversation only.
        await App.ExecuteAsync($"""UPDATE "InboundEnvelopes" SET "Status" = 1, "ProcessedAt" = now(), "LeaseUntil" = NULL WHERE "Id" IN ('{a[0]}', '{a[1]}', '{d[0]}')""");
        await App.ExecuteAsync($"""UPDATE "InboundEnvelopes" SET "LeaseUntil" = NULL WHERE "Id" = '{e[1]}'""");
        var next = await ClaimAsync(workspace.Id, batch: 1, run: 2);
        Assert.Equal([new[] { a[2], e[1] }.Min()], next.Select(r => r.Id).ToList());
        Assert.DoesNotContain(next, r => r.Id == b[1] || r.Id == c[1]);
    }

    [Fact]
    public async Task Under_a_backlog_a_claim_reads_each_pending_envelope_a_few_times_not_once_per_candidate()
    {
        var (workspace, connectionId) = await QuietTableAsync();
        // A burst's backlog, one new chat per delivery, on statistics that say nothing is pending.
        const int Backlog = 1500;
        await AddAsync(workspace.Id, connectionId, Enumerable.Range(0, Backlog).Select(i => ($"new-{i}", $"chat-new-{i}")).ToList());

        await using var scope = Scope(workspace.Id);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var claimed = await EnvelopeClaims.ClaimAsync(db, DatabaseProvider.Postgres, DateTimeOffset.UtcNow, Lease, batch: 256, run: 32, CancellationToken.None);
        // The rows this transaction read from the table, counted by PostgreSQL itself.
        var read = await db.Database.SqlQuery<long>($"""
            SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::bigint AS "Value" FROM pg_stat_xact_user_tables WHERE relname = 'InboundEnvelopes'
            """).SingleAsync();
        await transaction.RollbackAsync();

        Assert.Equal(256, claimed.Count);
        // A subquery per candidate that scans what is pending reads the backlog again for each candidate it passes (the old
        // statement read 417,455 rows here); one read of the backlog, the locks and the updates are a few times Backlog.
        Assert.True(read < 10 * Backlog, $"the claim read {read} rows for a backlog of {Backlog}");
    }

    private async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(Guid workspaceId, int batch, int run)
    {
        await using var scope = Scope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        return await EnvelopeClaims.ClaimAsync(db, DatabaseProvider.Postgres, DateTimeOffset.UtcNow, Lease, batch, run, CancellationToken.None);
    }

    /// <summary>
    /// A workspace with a connection and yesterday's traffic, processed, and the statistics taken then: the planner
    /// believes nothing is ever pending, as it does on a real table.
    /// </summary>
    private async Task<(TestWorkspace Workspace, Guid ConnectionId)> QuietTableAsync()
    {
        var workspace = await App.CreateWorkspaceAsync("Acme");
        Guid connectionId;
        await using (var scope = Scope(workspace.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var connection = ChannelConnection.Create(ChannelType.Api, "Shop", "{}", "secret", ConnectionMode.Webhook, null, "https://shop.example/callback", Clock);
            db.ChannelConnections.Add(connection);
            await db.SaveChangesAsync();
            connectionId = connection.Id;
        }
        await AddAsync(workspace.Id, connectionId, Enumerable.Range(0, 300).Select(i => ($"old-{i}", $"chat-old-{i}")).ToList(), processed: true);
        await App.ExecuteAsync("""ANALYZE "InboundEnvelopes" """);
        return (workspace, connectionId);
    }

    /// <summary>Envelopes in the order given: their ids (sequential, arrival order) follow it.</summary>
    private async Task<List<Guid>> AddAsync(Guid workspaceId, Guid connectionId, IReadOnlyList<(string ProviderId, string Chat)> envelopes, bool processed = false)
    {
        await using var scope = Scope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var ids = new List<Guid>();
        foreach (var (providerId, chat) in envelopes)
        {
            var envelope = InboundEnvelope.Receive(workspaceId, connectionId, providerId, chat, "{}", Clock);
            if (processed)
                envelope.MarkProcessed(Clock);
            db.InboundEnvelopes.Add(envelope);
            ids.Add(envelope.Id);
        }
        await db.SaveChangesAsync();
        return ids;
    }
}
