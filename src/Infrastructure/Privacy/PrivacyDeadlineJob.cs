using Mediator;
using Medallion.Threading;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Common;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Privacy;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Privacy;

/// <summary>
/// Once a day (<c>OneInbox:Privacy:DeadlineCheckHours</c>), one node of the cluster, holding a PostgreSQL advisory
/// lock (in process on SQLite), runs <see cref="WatchPrivacyDeadlines"/> for every workspace with open cases.
/// </summary>
internal sealed partial class PrivacyDeadlineJob(
    IServiceScopeFactory scopes, StorageSettings storage, IConfiguration configuration, TimeProvider clock, ILogger<PrivacyDeadlineJob> logger) : BackgroundService
{
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromHours(configuration.GetValue("OneInbox:Privacy:DeadlineCheckHours", 24.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(ex.GetType().Name);
            }
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round over every workspace; returns without work when another node holds the lock.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await AcquireAsync(cancellationToken);
        if (held is null)
            return 0;
        List<Guid> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            workspaces = await db.PrivacyRequests.IgnoreQueryFilters()
                .Where(r => r.Status == PrivacyRequestStatus.Received || r.Status == PrivacyRequestStatus.InProgress)
                .Select(r => r.WorkspaceId).Distinct().ToListAsync(cancellationToken);
        }
        foreach (var workspaceId in workspaces)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
            var round = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new WatchPrivacyDeadlines(), cancellationToken);
            if (round.Warned + round.Overdue > 0)
                LogRound(workspaceId, round.Warned, round.Overdue);
        }
        return workspaces.Count;
    }

    private async Task<IAsyncDisposable?> AcquireAsync(CancellationToken cancellationToken)
    {
        if (storage.Provider != DatabaseProvider.Postgres)
            return await InProcess.WaitAsync(0, cancellationToken) ? new Release() : null;
        var key = new PostgresAdvisoryLockKey("privacy-deadlines", allowHashing: true);
        var distributed = new PostgresDistributedLock(key, configuration.GetConnectionString(DependencyInjection.PostgresConnectionName)!);
        return await distributed.TryAcquireAsync(TimeSpan.Zero, cancellationToken);
    }

    private sealed class Release : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            InProcess.Release();
            return ValueTask.CompletedTask;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Privacy deadlines of workspace {WorkspaceId}: {Warned} warnings, {Overdue} newly overdue")]
    private partial void LogRound(Guid workspaceId, int warned, int overdue);

    [LoggerMessage(Level = LogLevel.Error, Message = "The privacy deadline round failed with {ExceptionType}")]
    private partial void LogRoundFailed(string exceptionType);
}
