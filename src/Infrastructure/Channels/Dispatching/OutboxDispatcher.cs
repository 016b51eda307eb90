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
    HealthMarks health,
    EndpointCache endpoints,
    OutboxWorkSignal signal,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int Parallelism = 32;

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
            claimed = await OutboxClaims.ClaimAsync(db, storage.Provider, clock.GetUtcNow(), options.Value.Lease, options.Value.BatchSize * 4, cancellationToken);
        }
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (row, ct) => await DeliverAsync(row, ct));
        return claimed.Count;
    }

    private async Task DeliverAsync(ClaimedRow claim, CancellationToken cancellationToken)
    {
        RecordDeliveryStatus? report;
        try
        {
            report = await SendAndRecordAsync(claim, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            report = await RecordOutcomeAsync(claim, new SendOutcome.Transient(Backoff.Describe(ex)), cancellationToken);
        }
        if (report is not null)
            await ReportAsync(claim, report, cancellationToken);
    }

    /// <summary>
    /// Claim, send and commit the outcome in one unit of work, so the instant between the provider accepting a
    /// message and our record of it (the only window for a duplicate after a crash) is one UPDATE long.
    /// </summary>
    private async Task<RecordDeliveryStatus?> SendAndRecordAsync(ClaimedRow claim, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(claim.WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var row = await db.OutboxMessages.FirstOrDefaultAsync(o => o.Id == claim.Id, cancellationToken);
        if (row is null || row.Status != OutboxStatus.Pending)
            return null;
        var connectionId = row.ConnectionId;
        var found = await endpoints.GetAsync(connectionId,
            () => db.ChannelConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken));
        if (found is not { } connection)
        {
            // The connection was deleted after the reply was written: nothing can ever deliver it.
            var (gone, _) = Apply(row, new SendOutcome.Failed("connection_deleted", "The channel connection no longer exists."));
            await db.SaveChangesAsync(cancellationToken);
            return gone;
        }
        var message = JsonSerializer.Deserialize<OutboundMessage>(row.Payload, JsonSerializerOptions.Web)
                      ?? throw new JsonException("The outbox payload is empty.");
        var sender = scope.ServiceProvider.GetServices<IChannelSender>().FirstOrDefault(s => s.Channel == connection.Type)
                     ?? throw new InvalidOperationException($"No sender delivers {connection.Type} messages.");
        if (connection.Type == ChannelType.Telegram)
        {
            await pacer.WaitAsync(connectionId, message.ConversationKey, options.Value.TelegramPerBotPerSecond,
                options.Value.TelegramPerChatInterval, cancellationToken);
        }
        var outcome = await sender.SendAsync(connection.Endpoint, message, cancellationToken);
        // Once the provider has the message, losing this commit would send it again: do not let shutdown cancel it.
        var (report, error) = Apply(row, outcome);
        await db.SaveChangesAsync(CancellationToken.None);

        if (outcome is SendOutcome.RateLimited limited)
            pacer.Pause(connectionId, limited.RetryAfter);
        await RecordHealthAsync(claim.WorkspaceId, connectionId, outcome is SendOutcome.Sent, error, cancellationToken);
        return report;
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

    /// <summary>After the outcome is committed, so that a failing report can never cause a second send.</summary>
    private async Task ReportAsync(ClaimedRow claim, RecordDeliveryStatus report, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(claim.WorkspaceId);
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(report, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(report.MessageId, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox dispatcher loop failed with {ExceptionType}")]
    private partial void LogLoopFailed(string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {OutboxId} parked after {Attempts} attempts")]
    private partial void LogParked(Guid outboxId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery status of message {MessageId} could not be recorded ({ExceptionType})")]
    private partial void LogReportFailed(Guid messageId, string exceptionType);
}
