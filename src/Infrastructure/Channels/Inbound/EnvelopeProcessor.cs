using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Inbound;

/// <summary>
/// Turns stored envelopes into inbox messages: claim, map, send ReceiveMessage in the envelope's workspace,
/// mark processed. Failures retry with backoff and park after the configured attempts. Receiving is idempotent
/// in the inbox, so an envelope processed twice (a crash after the inbox committed) changes nothing the second time.
/// </summary>
internal sealed partial class EnvelopeProcessor(
    IServiceScopeFactory scopes,
    StorageSettings storage,
    IOptions<ChannelOptions> options,
    TimeProvider clock,
    WorkSignal signal,
    HealthMarks health,
    ILogger<EnvelopeProcessor> logger) : BackgroundService
{
    private const int Parallelism = 8;
    private const int MaxBatch = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await RunOnceAsync(stoppingToken);
                if (claimed == 0)
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

    /// <summary>One claim-and-process round; the number of envelopes it handled.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ClaimedRow> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            claimed = await EnvelopeClaims.ClaimAsync(db, storage.Provider, clock.GetUtcNow(), options.Value.Lease, options.Value.BatchSize, cancellationToken);
        }
        await Parallel.ForEachAsync(ClaimBatches.Of(claimed, Parallelism, MaxBatch), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await ProcessBatchAsync(batch, ct));
        return claimed.Count;
    }

    /// <summary>
    /// Several envelopes (of different conversations: a claim holds one per conversation) in one unit of work
    /// whose writes go to the database together. If anything fails, nothing of the batch is written and each
    /// envelope is processed again on its own, so one bad envelope neither holds up nor fails the others.
    /// </summary>
    private async Task ProcessBatchAsync(ClaimedRow[] batch, CancellationToken cancellationToken)
    {
        if (batch.Length == 1)
        {
            await ProcessAsync(batch[0], cancellationToken);
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(batch[0].WorkspaceId);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var ids = batch.Select(r => r.Id).ToList();
            var envelopes = await db.InboundEnvelopes.Where(e => ids.Contains(e.Id) && e.Status == EnvelopeStatus.Pending)
                .OrderBy(e => e.Id).ToListAsync(cancellationToken);
            var connectionIds = envelopes.Select(e => e.ConnectionId).Distinct().ToList();
            var connections = await db.ChannelConnections.Where(c => connectionIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
            using (db.DeferWrites())
            {
                foreach (var envelope in envelopes)
                    await ReceiveAsync(scope.ServiceProvider, envelope, connections.GetValueOrDefault(envelope.ConnectionId), batched: true, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogBatchFallback(batch.Length, ex.GetType().Name);
            foreach (var row in batch)
                await ProcessAsync(row, cancellationToken);
        }
    }

    private async Task ProcessAsync(ClaimedRow row, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(row.WorkspaceId);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var envelope = await db.InboundEnvelopes.FirstOrDefaultAsync(e => e.Id == row.Id, cancellationToken);
            if (envelope is null || envelope.Status != EnvelopeStatus.Pending)
                return;
            var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == envelope.ConnectionId, cancellationToken);
            await ReceiveAsync(scope.ServiceProvider, envelope, connection, batched: false, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(row, ex, cancellationToken);
        }
    }

    /// <summary>Maps the envelope, hands the message to the inbox and marks the envelope processed, all staged on the scope's unit of work.</summary>
    private async Task ReceiveAsync(IServiceProvider services, InboundEnvelope envelope, ChannelConnection? connection, bool batched, CancellationToken cancellationToken)
    {
        // Its connection was deleted: the envelope goes with it (the cascade), nothing to receive.
        if (connection is null)
            return;
        var mapper = services.GetServices<IInboundMapper>().First(m => m.Channel == connection.Type);
        var message = await mapper.MapAsync(new InboundContext(envelope.WorkspaceId, connection.ToEndpoint()), envelope.Payload, cancellationToken);
        if (message is not null)
            await services.GetRequiredService<ISender>().Send(new ReceiveMessage(connection.Id, connection.Type, message, batched), cancellationToken);

        envelope.MarkProcessed(clock);
        // The connection row is shared by every worker: its health is written at most once a second.
        if (health.ShouldRecord(connection.Id, "inbound", clock.GetUtcNow()))
            connection.RecordInbound(clock.GetUtcNow());
    }

    /// <summary>In a fresh unit of work: the failed one may hold half-made changes that must not be saved.</summary>
    private async Task RecordFailureAsync(ClaimedRow row, Exception failure, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(row.WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var envelope = await db.InboundEnvelopes.FirstOrDefaultAsync(e => e.Id == row.Id, cancellationToken);
        if (envelope is null || envelope.Status != EnvelopeStatus.Pending)
            return;
        var error = Backoff.Describe(failure);
        var settings = options.Value;
        if (envelope.Attempts + 1 >= settings.MaxAttempts)
        {
            envelope.Park(error);
            LogParked(row.Id, envelope.Attempts, failure.GetType().Name);
        }
        else
        {
            envelope.ScheduleRetry(error, clock.GetUtcNow() + Backoff.Delay(envelope.Attempts, settings.FirstRetryDelay, settings.MaxRetryDelay));
            LogRetry(row.Id, envelope.Attempts, failure.GetType().Name);
        }
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == envelope.ConnectionId, cancellationToken);
        connection?.RecordError("inbound: " + error, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbound processor loop failed with {ExceptionType}")]
    private partial void LogLoopFailed(string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} envelopes failed with {ExceptionType}; processing them one by one")]
    private partial void LogBatchFallback(int count, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} failed attempt {Attempts} with {ExceptionType}; retrying later")]
    private partial void LogRetry(Guid envelopeId, int attempts, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Envelope {EnvelopeId} parked as failed after {Attempts} attempts ({ExceptionType})")]
    private partial void LogParked(Guid envelopeId, int attempts, string exceptionType);
}
