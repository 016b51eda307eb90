using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;

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
        int envelopes = 0, outbox = 0, deleted;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        // A background job across workspaces: the tenant filter is lifted, for deletion of processed work only.
        do
        {
            var done = db.InboundEnvelopes.IgnoreQueryFilters()
                .Where(e => e.Status == EnvelopeStatus.Processed && e.ProcessedAt <= cutoff)
                .OrderBy(e => e.Id).Take(Batch).Select(e => e.Id);
            deleted = await db.InboundEnvelopes.IgnoreQueryFilters().Where(e => done.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            envelopes += deleted;
        }
        while (deleted == Batch);
        do
        {
            var sent = db.OutboxMessages.IgnoreQueryFilters()
                .Where(o => o.Status == OutboxStatus.Sent && o.SentAt <= cutoff)
                .OrderBy(o => o.Id).Take(Batch).Select(o => o.Id);
            deleted = await db.OutboxMessages.IgnoreQueryFilters().Where(o => sent.Contains(o.Id)).ExecuteDeleteAsync(cancellationToken);
            outbox += deleted;
        }
        while (deleted == Batch);
        return (envelopes, outbox);
    }
}
