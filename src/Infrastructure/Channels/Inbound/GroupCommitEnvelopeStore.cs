using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.Inbound;

/// <summary>
/// Group commit for webhooks on PostgreSQL. Each request queues its envelope and waits; a few writers take
/// whatever has queued up and insert it as one statement (<c>ON CONFLICT DO NOTHING</c> on the duplicate key),
/// so a burst of N deliveries costs one commit instead of N, and every request is answered only after the commit
/// that holds its row. The database's unique key still decides what is a duplicate, across nodes as within a batch.
/// </summary>
internal sealed partial class GroupCommitEnvelopeStore(NpgsqlDataSource data, IFieldCipher cipher, ILogger<GroupCommitEnvelopeStore> logger)
    : BackgroundService, IInboundEnvelopeStore
{
    /// <summary>Several writers, so one batch can fill while another commits.</summary>
    private const int Writers = 4;

    private const int MaxBatch = 256;

    /// <summary>A restart takes seconds; a provider that honours Retry-After comes back once the next node is up.</summary>
    private static readonly TimeSpan RetryAfterStop = TimeSpan.FromSeconds(5);

    private const string InsertSql = """
        INSERT INTO "InboundEnvelopes" ("Id", "WorkspaceId", "ConnectionId", "ProviderId", "ConversationKey", "Payload",
                                        "Status", "Attempts", "ReceivedAt", "NextAttemptAt")
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[],
                             $9::timestamptz[], $10::timestamptz[])
        ON CONFLICT ("ConnectionId", "ProviderId") DO NOTHING
        RETURNING "Id"
        """;

    private volatile bool _stopping;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });

    public bool AcceptsConcurrentAdds => true;

    public ValueTask<EnvelopeStoreResult> AddAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        var pending = new Pending(envelope, cipher.Encrypt(envelope.Payload));
        if (!_queue.Writer.TryWrite(pending))
            throw Unavailable();
        // A caller that gives up still has its row written (or not) by the batch; the provider's redelivery is then a duplicate.
        return new ValueTask<EnvelopeStoreResult>(pending.Result.Task.WaitAsync(cancellationToken));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None)));

    /// <summary>Stops taking envelopes, then lets the writers commit what was queued before returning.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                batch.Add(next);
            if (batch.Count > 0)
                await WriteAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteAsync(IReadOnlyList<Pending> batch, bool retried = false)
    {
        try
        {
            var stored = await InsertAsync(batch);
            foreach (var pending in batch)
                pending.Result.TrySetResult(stored.Contains(pending.Envelope.Id) ? EnvelopeStoreResult.Stored : EnvelopeStoreResult.Duplicate);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && !retried)
        {
            // Another writer's batch held a key of this one (a redelivery in flight at the same moment): the statement
            // was rolled back whole, so it is safe to run again; ON CONFLICT makes the winner's rows duplicates.
            await WriteAsync(batch, retried: true);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // A connection was deleted while its deliveries queued: only those rows are refused, the rest are written one by one.
            if (batch.Count == 1)
            {
                batch[0].Result.TrySetResult(EnvelopeStoreResult.ConnectionGone);
                return;
            }
            foreach (var pending in batch)
                await WriteAsync([pending]);
        }
        catch (Exception ex)
        {
            LogBatchFailed(batch.Count, ex.GetType().Name, ex);
            // While stopping, a failed batch is most likely the shutdown itself (connections closing): the provider
            // should come back, and a row that did commit after all makes its redelivery a duplicate.
            var failure = _stopping ? Unavailable() : ex;
            foreach (var pending in batch)
                pending.Result.TrySetException(failure);
        }
    }

    private async Task<HashSet<Guid>> InsertAsync(IReadOnlyList<Pending> batch)
    {
        // Every writer inserts keys in the same order, so two batches holding the same redelivered keys wait for each
        // other instead of deadlocking (a burst with redeliveries mixed in produced 500s under load).
        batch = [.. batch.OrderBy(p => p.Envelope.ConnectionId).ThenBy(p => p.Envelope.ProviderId, StringComparer.Ordinal)];
        await using var command = data.CreateCommand(InsertSql);
        command.Parameters.Add(Array(batch, p => p.Envelope.Id, NpgsqlDbType.Uuid));
        command.Parameters.Add(Array(batch, p => p.Envelope.WorkspaceId, NpgsqlDbType.Uuid));
        command.Parameters.Add(Array(batch, p => p.Envelope.ConnectionId, NpgsqlDbType.Uuid));
        command.Parameters.Add(Array(batch, p => p.Envelope.ProviderId, NpgsqlDbType.Text));
        command.Parameters.Add(Array(batch, p => p.Envelope.ConversationKey, NpgsqlDbType.Text));
        command.Parameters.Add(Array(batch, p => p.Ciphertext, NpgsqlDbType.Text));
        command.Parameters.Add(Array(batch, p => (int)p.Envelope.Status, NpgsqlDbType.Integer));
        command.Parameters.Add(Array(batch, p => p.Envelope.Attempts, NpgsqlDbType.Integer));
        command.Parameters.Add(Array(batch, p => p.Envelope.ReceivedAt.UtcDateTime, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Array(batch, p => p.Envelope.NextAttemptAt.UtcDateTime, NpgsqlDbType.TimestampTz));
        var stored = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            stored.Add(reader.GetGuid(0));
        return stored;
    }

    private static ServiceUnavailableException Unavailable() =>
        new("The server is stopping and takes no more inbound deliveries now; send it again shortly.", RetryAfterStop);

    private static NpgsqlParameter<T[]> Array<T>(IReadOnlyList<Pending> batch, Func<Pending, T> value, NpgsqlDbType type) =>
        new() { TypedValue = batch.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    private sealed record Pending(InboundEnvelope Envelope, string Ciphertext)
    {
        public TaskCompletionSource<EnvelopeStoreResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a batch of {Count} inbound envelopes failed with {ExceptionType}")]
    private partial void LogBatchFailed(int count, string exceptionType, Exception exception);
}
