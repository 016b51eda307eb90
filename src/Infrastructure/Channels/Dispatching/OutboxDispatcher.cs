using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneInbox.Domain.Conversations;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Inbound;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// Delivers outbox rows through the connection's adapter. Nothing is sent inside a transaction: the row is
/// claimed (committed lease), sent, then its outcome committed. A recorded success is final, so a row is never
/// sent again once MarkSent was saved; a crash between the provider's acceptance and that save is the one
/// window in which a message can go out twice, and the lease (longer than any send) keeps other nodes off it meanwhile.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    StorageSettings storage,
    IOptions<ChannelOptions> options,
    SendPacer pacer,
    ChannelModules modules,
    HealthMarks health,
    EndpointCache endpoints,
    OutboxWorkSignal signal,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int Workers = 8;
    private const int MaxBatch = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) == 0)
                    await signal.WaitAsync(options.Value.IdleDelay, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex.GetType().Name, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ClaimedRow> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            claimed = await OutboxClaims.ClaimAsync(db, storage.Provider, clock.GetUtcNow(), options.Value.Lease, ClaimSize(), cancellationToken);
        }
        await Parallel.ForEachAsync(ClaimBatches.Of(claimed, Workers, UnitSize()), new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken },
            async (batch, ct) => await DeliverAsync(batch, ct));
        return claimed.Count;
    }

    /// <summary>
    /// A round ends before its lease runs out, even for a single bot at its paced rate: a quarter of the lease
    /// (15 s of 60 at Telegram's 30/s) leaves the rest for 429 pauses. Another node could otherwise claim a row whose
    /// lease ran out while it still waited here, and both would send it.
    /// </summary>
    private int ClaimSize()
    {
        var settings = options.Value;
        var paced = settings.TelegramPerBotPerSecond * settings.Lease.TotalSeconds / 4;
        return Math.Max(1, (int)Math.Min(Math.Max(paced, Workers * UnitSize()), settings.BatchSize * 4));
    }

    /// <summary>
    /// No more rows per unit than a bot may send in one pacing period (Telegram: 30/s is 3 per 100 ms): a unit's
    /// sends then leave together and complete together, so their outcomes commit at once, instead of waiting in
    /// the pacer while those already sent wait for their commit (the window a crash can duplicate them in).
    /// </summary>
    private int UnitSize() => Math.Clamp((int)(options.Value.TelegramPerBotPerSecond / 10), 1, MaxBatch);

    /// <summary>
    /// Sends a batch of rows side by side and commits their outcomes together, then reports the delivery
    /// statuses. A recorded success is final; a row whose outcome could not be committed is sent again later.
    /// </summary>
    private async Task DeliverAsync(ClaimedRow[] batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<RecordDeliveryStatus> reports;
        try
        {
            reports = await SendAndRecordAsync(batch, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The unit failed outside any one send (reading the rows, or after the commit): each row still pending
            // is retried on its own; a row whose success was committed is not pending and stays as it is.
            var retried = new List<RecordDeliveryStatus>();
            foreach (var claim in batch)
            {
                if (await RecordOutcomeAsync(claim, new SendOutcome.Transient(Backoff.Describe(ex)), cancellationToken) is { } report)
                    retried.Add(report);
            }
            reports = retried;
        }
        if (reports.Count > 0)
            await ReportAsync(batch[0].WorkspaceId, reports, cancellationToken);
    }

    /// <summary>
    /// Read, send and commit the outcomes in one unit of work. The instant between the provider accepting a
    /// message and our record of it (the only window for a duplicate after a crash) is the unit's sends, which
    /// leave together, plus one commit.
    /// </summary>
    private async Task<IReadOnlyList<RecordDeliveryStatus>> SendAndRecordAsync(ClaimedRow[] batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var workspaceId = batch[0].WorkspaceId;
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var ids = batch.Select(c => c.Id).ToList();
        var rows = await db.OutboxMessages.Where(o => ids.Contains(o.Id) && o.Status == OutboxStatus.Pending).OrderBy(o => o.Id).ToListAsync(cancellationToken);

        // The unit of work is not shared between threads: the endpoints are read before the sends start.
        var connections = new Dictionary<Guid, (ChannelType Type, ChannelEndpoint Endpoint)?>();
        foreach (var connectionId in rows.Select(r => r.ConnectionId).Distinct())
        {
            connections[connectionId] = await endpoints.GetAsync(connectionId,
                () => db.ChannelConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken));
        }
        var senders = scope.ServiceProvider.GetServices<IChannelSender>().ToList();

        // One message per chat per batch: a chat's next message waits for the provider's per-chat interval,
        // and must not hold up the batch's other sends or their commit. It is released and goes in the next round.
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
        var outcomes = await Task.WhenAll(sending.Select(s => SendAsync(s.Message, connections[s.Row.ConnectionId], senders, cancellationToken)));

        // Once the provider has the messages, losing this commit would send them again: do not let shutdown cancel it.
        var applied = sending.Select((s, i) => (s.Row, Outcome: outcomes[i], Result: Apply(s.Row, outcomes[i]))).ToList();
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One row may have gone with its connection: record each outcome on its own, on what is left.
            LogBatchFallback(applied.Count, ex.GetType().Name);
            var recorded = new List<RecordDeliveryStatus>();
            foreach (var (row, outcome, _) in applied)
            {
                if (await RecordOutcomeAsync(new ClaimedRow(row.Id, workspaceId), outcome, CancellationToken.None) is { } report)
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
            await RecordHealthAsync(workspaceId, connection.Key, connection.Any(a => a.Outcome is SendOutcome.Sent), error, cancellationToken);
        }
        return applied.Where(a => a.Result.Report is not null).Select(a => a.Result.Report!).ToList();
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: this row goes again later, and the rows of the unit that were sent are still recorded.
            return new SendOutcome.Transient("stopped before the send completed");
        }
        catch (Exception ex)
        {
            return new SendOutcome.Transient(Backoff.Describe(ex));
        }
    }

    /// <summary>The exception path: commits a retry (or parking) in a fresh unit of work.</summary>
    private async Task<RecordDeliveryStatus?> RecordOutcomeAsync(ClaimedRow claim, SendOutcome outcome, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(claim.WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var row = await db.OutboxMessages.FirstOrDefaultAsync(o => o.Id == claim.Id, cancellationToken);
        if (row is null || row.Status != OutboxStatus.Pending)
            return null;
        var (report, error) = Apply(row, outcome);
        await db.SaveChangesAsync(cancellationToken);
        await RecordHealthAsync(claim.WorkspaceId, row.ConnectionId, sent: false, error, cancellationToken);
        return report;
    }

    /// <summary>What the send came to, on the row; the delivery status to report if final, and the error for the connection's health.</summary>
    private (RecordDeliveryStatus? Report, string? Error) Apply(OutboxMessage row, SendOutcome outcome)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        switch (outcome)
        {
            case SendOutcome.Sent sent:
                row.MarkSent(sent.ProviderMessageId, clock);
                return (new RecordDeliveryStatus(row.MessageId, DeliveryStatus.Sent, null, sent.ProviderMessageId), null);
            case SendOutcome.RateLimited limited:
                // Being told to slow down is not a failure of the message: it waits, it is never parked for it.
                row.ScheduleRetry("rate_limited", now + limited.RetryAfter);
                return (null, null);
            case SendOutcome.Transient transient when row.Attempts + 1 >= settings.MaxAttempts:
                row.Park("retries_exhausted: " + transient.Reason);
                LogParked(row.Id, row.Attempts);
                return (new RecordDeliveryStatus(row.MessageId, DeliveryStatus.Failed, "retries_exhausted", null), "outbound: " + transient.Reason);
            case SendOutcome.Transient transient:
                row.ScheduleRetry(transient.Reason, now + Backoff.Delay(row.Attempts, settings.FirstRetryDelay, settings.MaxRetryDelay));
                return (null, "outbound: " + transient.Reason);
            case SendOutcome.Failed failed:
                row.Park($"{failed.ReasonCode}: {failed.Reason}");
                return (new RecordDeliveryStatus(row.MessageId, DeliveryStatus.Failed, failed.ReasonCode, null), $"outbound: {failed.ReasonCode}");
            default:
                throw new InvalidOperationException("Unknown send outcome.");
        }
    }

    /// <summary>
    /// Health is written apart from the outbox row and at most once a second per connection for successes:
    /// every worker touching the one connection row in its own commit would queue them all on its lock.
    /// </summary>
    private async Task RecordHealthAsync(Guid workspaceId, Guid connectionId, bool sent, string? error, CancellationToken cancellationToken)
    {
        if (error is null && !(sent && health.ShouldRecord(connectionId, "outbound", clock.GetUtcNow())))
            return;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is null)
            return;
        if (sent)
            connection.RecordOutbound(clock.GetUtcNow());
        if (error is not null)
            connection.RecordError(error, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// After the outcomes are committed, so that a failing report can never cause a second send. The batch's
    /// messages are read in one query and their statuses written in one commit; on failure, one by one.
    /// </summary>
    private async Task ReportAsync(Guid workspaceId, IReadOnlyList<RecordDeliveryStatus> reports, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            if (reports.Count > 1)
            {
                var ids = reports.Select(r => r.MessageId).ToList();
                await db.Messages.Where(m => ids.Contains(m.Id)).LoadAsync(cancellationToken);
            }
            using (db.DeferWrites())
            {
                foreach (var report in reports)
                    await sender.Send(report, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && reports.Count > 1)
        {
            LogBatchFallback(reports.Count, ex.GetType().Name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(reports[0].MessageId, ex.GetType().Name);
            return;
        }
        foreach (var report in reports)
            await ReportAsync(workspaceId, [report], cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox dispatcher loop failed with {ExceptionType}")]
    private partial void LogLoopFailed(string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {OutboxId} parked after {Attempts} attempts")]
    private partial void LogParked(Guid outboxId, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} outbox rows failed with {ExceptionType}; recording them one by one")]
    private partial void LogBatchFallback(int count, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery status of message {MessageId} could not be recorded ({ExceptionType})")]
    private partial void LogReportFailed(Guid messageId, string exceptionType);
}
