using System.Collections.Concurrent;
using Medallion.Threading.Postgres;
using Microsoft.Extensions.Configuration;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// A named lock held across every node that shares the database: a PostgreSQL advisory lock, which lives on its
/// connection, so a node that dies lets go of it at once. On SQLite one process is the whole installation, and an
/// in-process lock per name is enough.
/// The lock is never watched with a query that keeps its connection busy (Medallion's lost-handle token runs
/// pg_sleep on it): a backend busy sleeping does not notice that its client was killed, and would hold the lock for
/// a dead node until the sleep ends. An idle lock connection is released the moment the node dies.
/// </summary>
public sealed class ClusterLock(StorageSettings storage, IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _local = new();

    /// <summary>Waits until this node holds the lock.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        if (storage.Provider == DatabaseProvider.Postgres)
            return await Distributed(name).AcquireAsync(cancellationToken: cancellationToken);
        var semaphore = _local.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken);
        return new Release(semaphore);
    }

    /// <returns>The held lock, or null when another holder keeps it for longer than <paramref name="wait"/>.</returns>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (storage.Provider == DatabaseProvider.Postgres)
            return await Distributed(name).TryAcquireAsync(wait, cancellationToken);
        var semaphore = _local.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        return await semaphore.WaitAsync(wait, cancellationToken) ? new Release(semaphore) : null;
    }

    private PostgresDistributedLock Distributed(string name) =>
        new(new PostgresAdvisoryLockKey("oneinbox:" + name, allowHashing: true),
            configuration.GetConnectionString(DependencyInjection.PostgresConnectionName)!);

    private sealed class Release(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
