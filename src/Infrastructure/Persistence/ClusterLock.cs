using System.Collections.Concurrent;
using Medallion.Threading.Postgres;
using Microsoft.Extensions.Configuration;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// A named lock held across every node that shares the database: a PostgreSQL advisory lock, which lives on its
/// connection, so a node that dies lets go of it at once. On SQLite one process is the whole installation, and an
/// in-process lock per name is enough.
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
