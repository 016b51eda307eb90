using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

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
    ILogger<EnvelopeProcessor> logger) : LeasedClaimWorker(clock, logger)
{
    protected override int Parallelism => Math.Max(1, options.Value.InboundParallelism);

    protected override int MaxUnit => 32;

    protected override TimeSpan IdleDelay => options.Value.IdleDelay;

    protected override WorkSignal? Signal => signal;

    private RetryPolicy Retries => new(options.Value.MaxAttempts, options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);

    protected override async Task<IReadOnlyList<ClaimedRow>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        return await EnvelopeClaims.ClaimAsync(db, storage.Provider, Clock.GetUtcNow(), options.Value.Lease, options.Value.BatchSize,
            run: MaxUnit, cancellationToken);
    }

    /// <summary>
    /// The unit's envelopes in rounds: each round takes the next envelope of every conversation in the unit and
    /// receives them in one unit of work whose writes go to the database together, so what a round reads includes
    /// all that the rounds before it wrote (a conversation's second message finds the contact its first created).
    /// If a round fails, its writes are not made and every envelope still pending is processed again on its own
    /// (<see cref="WorkAloneAsync"/>).
    /// </summary>
    protected override async Task WorkUnitAsync(ClaimedRow[] unit, CancellationToken cancellationToken)
    {
        if (unit.Length == 1)
        {
            await ProcessAsync(unit[0], cancellationToken);
            return;
        }
        var first = true;
        foreach (var round in Rounds(unit))
        {
            await using var scope = scopes.CreateWorkspaceScope(unit[0].WorkspaceId);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var ids = round.Select(r => r.Id).ToList();
            var envelopes = await db.InboundEnvelopes.Where(e => ids.Contains(e.Id) && e.Status == EnvelopeStatus.Pending)
                .OrderBy(e => e.Id).ToListAsync(cancellationToken);
            var connectionIds = envelopes.Select(e => e.ConnectionId).Distinct().ToList();
            var connections = await db.ChannelConnections.Where(c => connectionIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
            using (db.DeferWrites())
            {
                var mapped = new List<(InboundEnvelope Envelope, ChannelConnection? Connection, InboundMessage? Message)>();
                foreach (var envelope in envelopes)
                {
                    var connection = connections.GetValueOrDefault(envelope.ConnectionId);
                    mapped.Add((envelope, connection, await MapAsync(scope.ServiceProvider, envelope, connection, cancellationToken)));
                }
                await LoadSendersAsync(db, mapped.Select(m => m.Message), cancellationToken);
                // After the first round a message may repeat one the conversation received a round earlier (a provider's
                // redelivery): those rounds look for duplicates rather than fail on the unique index.
                foreach (var (envelope, connection, message) in mapped)
                    await ReceiveAsync(scope.ServiceProvider, envelope, connection, message, batched: first, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            first = false;
        }
    }

    /// <summary>The n-th round holds the n-th envelope of each conversation (claim order is arrival order).</summary>
    internal static IEnumerable<ClaimedRow[]> Rounds(IReadOnlyList<ClaimedRow> unit) =>
        unit.GroupBy(r => r.OrderGroup)
            .SelectMany(conversation => conversation.Select((row, position) => (row, position)))
            .GroupBy(x => x.position, x => x.row)
            .OrderBy(round => round.Key)
            .Select(round => round.ToArray());

    /// <summary>
    /// On its own after its unit failed, in claim order. An envelope whose conversation still has an older one
    /// pending (that one failed just now and waits for its retry) is not attempted: it waits for it.
    /// </summary>
    protected override Task WorkAloneAsync(ClaimedRow row, Exception unitFailure, CancellationToken cancellationToken) =>
        ProcessAsync(row, cancellationToken, afterOlder: true);

    private async Task ProcessAsync(ClaimedRow row, CancellationToken cancellationToken, bool afterOlder = false)
    {
        try
        {
            await using var scope = scopes.CreateWorkspaceScope(row.WorkspaceId);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var envelope = await db.InboundEnvelopes.FirstOrDefaultAsync(e => e.Id == row.Id, cancellationToken);
            if (envelope is null || envelope.Status != EnvelopeStatus.Pending)
                return;
            if (afterOlder && await db.InboundEnvelopes.AnyAsync(e => e.ConnectionId == envelope.ConnectionId
                    && e.ConversationKey == envelope.ConversationKey && e.Status == EnvelopeStatus.Pending && e.Id < envelope.Id, cancellationToken))
            {
                envelope.WaitForOlder();
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == envelope.ConnectionId, cancellationToken);
            var message = await MapAsync(scope.ServiceProvider, envelope, connection, cancellationToken);
            await LoadSendersAsync(db, [message], cancellationToken);
            await ReceiveAsync(scope.ServiceProvider, envelope, connection, message, batched: false, cancellationToken);
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

    /// <summary>The message the envelope holds; null when it holds none (a service update) or its connection was deleted.</summary>
    private static async Task<InboundMessage?> MapAsync(IServiceProvider services, InboundEnvelope envelope, ChannelConnection? connection, CancellationToken cancellationToken)
    {
        if (connection is null)
            return null;
        var mapper = services.GetServices<IInboundMapper>().First(m => m.Channel == connection.Type);
        return await mapper.MapAsync(new InboundContext(envelope.WorkspaceId, connection.ToEndpoint()), envelope.Payload, cancellationToken);
    }

    /// <summary>
    /// The senders' channel identities and contacts in two queries, into the unit of work, where the inbox looks first:
    /// otherwise each message of a round paid a round trip of its own to learn whether its sender was known.
    /// </summary>
    private static async Task LoadSendersAsync(OneInboxDbContext db, IEnumerable<InboundMessage?> messages, CancellationToken cancellationToken)
    {
        var senders = messages.OfType<InboundMessage>().Select(m => m.Sender.ExternalId.Trim()).Distinct().ToList();
        if (senders.Count == 0)
            return;
        var identities = await db.ChannelIdentities.Where(i => senders.Contains(i.ExternalId)).ToListAsync(cancellationToken);
        var contactIds = identities.Select(i => i.ContactId).Distinct().ToList();
        if (contactIds.Count > 0)
            await db.Contacts.Where(c => contactIds.Contains(c.Id)).LoadAsync(cancellationToken);
    }

    /// <summary>Hands the message to the inbox and marks the envelope processed, all staged on the scope's unit of work.</summary>
    private async Task ReceiveAsync(IServiceProvider services, InboundEnvelope envelope, ChannelConnection? connection, InboundMessage? message, bool batched,
        CancellationToken cancellationToken)
    {
        // Its connection was deleted: the envelope goes with it (the cascade), nothing to receive.
        if (connection is null)
            return;
        if (message is not null)
            await services.GetRequiredService<ISender>().Send(new ReceiveMessage(connection.Id, connection.Type, message, batched, SendersLoaded: true), cancellationToken);

        envelope.MarkProcessed(Clock);
        // The connection row is shared by every worker: its health is written at most once a second.
        if (health.ShouldRecord(connection.Id, "inbound", Clock.GetUtcNow()))
            connection.RecordInbound(Clock.GetUtcNow());
    }

    /// <summary>In a fresh unit of work: the failed one may hold half-made changes that must not be saved.</summary>
    private async Task RecordFailureAsync(ClaimedRow row, Exception failure, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateWorkspaceScope(row.WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var envelope = await db.InboundEnvelopes.FirstOrDefaultAsync(e => e.Id == row.Id, cancellationToken);
        if (envelope is null || envelope.Status != EnvelopeStatus.Pending)
            return;
        var error = FailureSummary.Of(failure);
        switch (Retries.Decide(envelope.Attempts, Clock.GetUtcNow()))
        {
            case RetryDecision.Retry retry:
                envelope.ScheduleRetry(error, retry.At);
                LogRetry(Logger, row.Id, envelope.Attempts, failure.GetType().Name);
                break;
            default:
                envelope.Park(error);
                LogParked(Logger, row.Id, envelope.Attempts, failure.GetType().Name);
                break;
        }
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == envelope.ConnectionId, cancellationToken);
        connection?.RecordError("inbound: " + error, Clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} failed attempt {Attempts} with {ExceptionType}; retrying later")]
    private static partial void LogRetry(ILogger logger, Guid envelopeId, int attempts, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Envelope {EnvelopeId} parked as failed after {Attempts} attempts ({ExceptionType})")]
    private static partial void LogParked(ILogger logger, Guid envelopeId, int attempts, string exceptionType);
}
