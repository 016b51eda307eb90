using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// After a unit of work commits with a pending outbox row in it (an agent's reply, a flow's answer), wakes the
/// dispatcher at once rather than at its next poll: the poll interval was most of a bot's reply latency.
/// </summary>
internal sealed class OutboxCommitted(OutboxWorkSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        // Inside an explicit transaction nothing is visible to the dispatcher yet: its commit wakes it (below).
        if (eventData.Context is { Database.CurrentTransaction: null } context)
            NotifyIfPending(context);
        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
            NotifyIfPending(context);
        return Task.CompletedTask;
    }

    /// <summary>The save just brought the tracker up to date: look at the tracked rows without another scan for changes.</summary>
    private void NotifyIfPending(DbContext context)
    {
        if (context is OneInboxDbContext db && db.Tracked<OutboxMessage>().Any(o => o.Status == OutboxStatus.Pending))
            signal.Notify();
    }
}
