using Medallion.Threading.Postgres;
using Microsoft.Extensions.Configuration;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Retention;

/// <summary>
/// One purge at a time in the installation: a PostgreSQL advisory lock across the nodes of a cluster, a semaphore in
/// the one process of the embedded SQLite setup.
/// </summary>
internal sealed class PurgeLock(StorageSettings storage, IConfiguration configuration) : IDisposable
{
    private static readonly PostgresAdvisoryLockKey Key = new("oneinbox:retention-purge", allowHashing: true);
    private readonly SemaphoreSlim _inProcess = new(1, 1);

    /// <returns>The held lock, or null when another purge holds it for longer than <paramref name="wait"/>.</returns>
    public async Task<IAsyncDisposable?> TryAcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (storage.Provider == DatabaseProvider.Postgres)
        {
            var distributed = new PostgresDistributedLock(Key, configuration.GetConnectionString(DependencyInjection.PostgresConnectionName)!);
            return await distributed.TryAcquireAsync(wait, cancellationToken);
        }
        return await _inProcess.WaitAsync(wait, cancellationToken) ? new Release(_inProcess) : null;
    }

    public void Dispose() => _inProcess.Dispose();

    private sealed class Release(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
