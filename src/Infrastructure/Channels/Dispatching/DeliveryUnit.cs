using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Attachments;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// One unit of the dispatcher's work: read the claimed rows, send them side by side and commit their outcomes
/// together. Nothing is sent inside a transaction. A recorded success is final, so a row is never sent again
/// once its outcome was saved; the instant between the provider accepting a message and that save (the one
/// window in which a crash can send a message twice) is the unit's sends, which leave together, plus one commit.
/// </summary>
internal sealed partial class DeliveryUnit(
    IServiceScopeFactory scopes,
    SendPacer pacer,
    ChannelModules modules,
    EndpointCache endpoints,
    DeliveryOutcomes outcomes,
    ConnectionHealth health,
    ILogger<DeliveryUnit> logger)
{
    /// <returns>The final delivery statuses to report once the outcomes are committed.</returns>
    public async Task<IReadOnlyList<RecordDeliveryStatus>> SendAndRecordAsync(ClaimedRow[] unit, CancellationToken cancellationToken)
    {
        var workspaceId = unit[0].WorkspaceId;
        await using var scope = scopes.CreateWorkspaceScope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var ids = unit.Select(c => c.Id).ToList();
        var rows = await db.OutboxMessages.Where(o => ids.Contains(o.Id) && o.Status == OutboxStatus.Pending).OrderBy(o => o.Id).ToListAsync(cancellationToken);

        // The unit of work is not shared between threads: the endpoints are read before the sends start.
        var connections = new Dictionary<Guid, (ChannelType Type, ChannelEndpoint Endpoint)?>();
        foreach (var connectionId in rows.Select(r => r.ConnectionId).Distinct())
        {
            connections[connectionId] = await endpoints.GetAsync(connectionId,
                () => db.ChannelConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken));
        }
        var senders = scope.ServiceProvider.GetServices<IChannelSender>().ToList();

        // One message per chat per unit: a chat's next message waits for the provider's per-chat interval,
        // and must not hold up the unit's other sends or their commit. It is released and goes in the next round.
        var chats = new HashSet<(Guid, string)>();
        var sending = new List<(OutboxMessage Row, OutboundMessage? Message)>();
        foreach (var row in rows)
        {
            var message = Read(row);
            if (message is null || chats.Add((row.ConnectionId, message.ConversationKey)))
                sending.Add((row, message));
            else
                row.Release();
        }

        // The unit's turns at the provider's rate limit are taken first, then its messages leave together and their
        // outcomes commit together: a send never waits for another's turn before its outcome is recorded, so the
        // window in which a kill can send a reply twice stays one send and one commit.
        foreach (var (row, message) in sending)
        {
            if (message is not null && connections[row.ConnectionId] is { } connection && modules.Find(connection.Type)?.Pacing is { } pacing)
                await pacer.WaitAsync(row.ConnectionId, message.ConversationKey, pacing.PerSecond, pacing.PerChatInterval, cancellationToken);
        }
        var sent = await Task.WhenAll(sending.Select(s => SendAsync(s.Message, connections[s.Row.ConnectionId], senders, cancellationToken)));

        // Once the provider has the messages, losing this commit would send them again: do not let shutdown cancel it.
        var applied = sending.Select((s, i) => (s.Row, Outcome: sent[i], Result: outcomes.Apply(s.Row, sent[i]))).ToList();
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One row may have gone with its connection: record each outcome on its own, on what is left.
            LogUnitFallback(applied.Count, ex.GetType().Name);
            var recorded = new List<RecordDeliveryStatus>();
            foreach (var (row, outcome, _) in applied)
            {
                if (await RecordAloneAsync(new ClaimedRow(row.Id, workspaceId), outcome, CancellationToken.None) is { } report)
                    recorded.Add(report);
            }
            return recorded;
        }

        foreach (var (row, outcome, _) in applied)
        {
            if (outcome is SendOutcome.RateLimited limited)
                pacer.Pause(row.ConnectionId, limited.RetryAfter);
        }
        foreach (var connection in applied.GroupBy(a => a.Row.ConnectionId))
        {
            var error = connection.Select(a => a.Result.Error).LastOrDefault(e => e is not null);
            await health.RecordOutboundAsync(workspaceId, connection.Key, connection.Any(a => a.Outcome is SendOutcome.Sent), error, cancellationToken);
        }
        return applied.Where(a => a.Result.Report is not null).Select(a => a.Result.Report!).ToList();
    }

    /// <summary>The exception path: commits one row's outcome (a retry, or parking) in a fresh unit of work.</summary>
    public async Task<RecordDeliveryStatus?> RecordAloneAsync(ClaimedRow claim, SendOutcome outcome, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateWorkspaceScope(claim.WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var row = await db.OutboxMessages.FirstOrDefaultAsync(o => o.Id == claim.Id, cancellationToken);
        if (row is null || row.Status != OutboxStatus.Pending)
            return null;
        var result = outcomes.Apply(row, outcome);
        await db.SaveChangesAsync(cancellationToken);
        await health.RecordOutboundAsync(claim.WorkspaceId, row.ConnectionId, sent: false, result.Error, cancellationToken);
        return result.Report;
    }

    /// <summary>The row's message; null when its payload cannot be read (the send then fails as a transient error).</summary>
    private static OutboundMessage? Read(OutboxMessage row)
    {
        try
        {
            return JsonSerializer.Deserialize<OutboundMessage>(row.Payload, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One send; whatever goes wrong becomes an outcome of that row alone.</summary>
    private static async Task<SendOutcome> SendAsync(OutboundMessage? message, (ChannelType Type, ChannelEndpoint Endpoint)? connection,
        IReadOnlyList<IChannelSender> senders, CancellationToken cancellationToken)
    {
        // The connection was deleted after the reply was written: nothing can ever deliver it.
        if (connection is not { } found)
            return new SendOutcome.Failed("connection_deleted", "The channel connection no longer exists.");
        if (message is null)
            return new SendOutcome.Transient("unreadable outbox payload");
        try
        {
            var sender = senders.FirstOrDefault(s => s.Channel == found.Type)
                         ?? throw new InvalidOperationException($"No sender delivers {found.Type} messages.");
            return await sender.SendAsync(found.Endpoint, message, cancellationToken);
        }
        catch (AttachmentMissingException)
        {
            // The file is gone from storage (deleted, or lost with a disk): no retry brings it back.
            return new SendOutcome.Failed(AttachmentMissingException.ReasonCode, "A file of the message is no longer in attachment storage.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: this row goes again later, and the rows of the unit that were sent are still recorded.
            return new SendOutcome.Transient("stopped before the send completed");
        }
        catch (Exception ex)
        {
            return new SendOutcome.Transient(FailureSummary.Of(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Committing the outcomes of {Count} outbox rows together failed with {ExceptionType}; recording them one by one")]
    private partial void LogUnitFallback(int count, string exceptionType);
}
