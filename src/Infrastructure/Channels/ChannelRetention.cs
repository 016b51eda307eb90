using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;

namespace OneInbox.Infrastructure.Channels;

/// <summary>
/// Deletes the pipeline's own copies once they have done their job: raw inbound payloads that became inbox
/// messages, and outbox rows whose reply was sent, after <see cref="ChannelOptions.ProcessedRetention"/>.
/// The inbox message is the record the customer's data lives in (and has its own retention); these copies only
/// serve replays and diagnosis. Failed (parked) envelopes and outbox rows stay until replayed or resolved.
/// </summary>
public sealed class ChannelRetention(IServiceScopeFactory scopes, IOptions<ChannelOptions> options, TimeProvider clock)
{
    private const int Batch = 1000;

    public Task<(int Envelopes, int Outbox)> PurgeAsync(CancellationToken cancellationToken) =>
        PurgeAsync(options.Value.ProcessedRetention, cancellationToken);

    /// <returns>How many envelopes and outbox rows were deleted.</returns>
    public async Task<(int Envelopes, int Outbox)> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var envelopes = await DeleteInBatchesAsync(db.InboundEnvelopes, e => e.Status == EnvelopeStatus.Processed && e.ProcessedAt <= cutoff, cancellationToken);
        var outbox = await DeleteInBatchesAsync(db.OutboxMessages, o => o.Status == OutboxStatus.Sent && o.SentAt <= cutoff, cancellationToken);
        return (envelopes, outbox);
    }

    /// <summary>
    /// A background job across workspaces: the tenant filter is lifted, for deletion of finished work only, in
    /// batches so that no statement holds many rows locked.
    /// </summary>
    private static async Task<int> DeleteInBatchesAsync<T>(DbSet<T> rows, Expression<Func<T, bool>> finished, CancellationToken cancellationToken)
        where T : Entity
    {
        int total = 0, deleted;
        do
        {
            var batch = rows.IgnoreQueryFilters().Where(finished).OrderBy(r => r.Id).Take(Batch).Select(r => r.Id);
            deleted = await rows.IgnoreQueryFilters().Where(r => batch.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == Batch);
        return total;
    }
}

/// <summary>Deletes processed inbound envelopes and sent outbox rows past their retention, once an hour.</summary>
internal sealed partial class ChannelRetentionWorker(ChannelRetention retention, TimeProvider clock, ILogger<ChannelRetentionWorker> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override TimeSpan RetryAfterFailure => TimeSpan.FromMinutes(1);

    protected internal override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (envelopes, outbox) = await retention.PurgeAsync(cancellationToken);
        if (envelopes + outbox > 0)
            LogPurged(Logger, envelopes, outbox);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Envelopes} processed inbound envelopes and {Outbox} sent outbox rows past retention")]
    private static partial void LogPurged(ILogger logger, int envelopes, int outbox);
}
