using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Medallion.Threading;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Channels.Inbound;
using OneInbox.Infrastructure.Persistence;
using OneInbox.Infrastructure.Workers;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace OneInbox.Infrastructure.Channels.Telegram;

/// <summary>
/// Polling mode: one getUpdates long-poll loop per polling connection in the whole cluster (a PostgreSQL
/// advisory lock per connection; in-process on SQLite). Updates go into the same envelopes as webhooks, and
/// the offset advances only after they are stored, so a crash re-reads rather than loses. While the inbound backlog
/// is full the next round waits (<see cref="InboundBacklog"/>).
/// </summary>
internal sealed partial class TelegramPolling(
    IServiceScopeFactory scopes,
    ClusterLock cluster,
    IOptions<ChannelOptions> options,
    TelegramClients clients,
    WorkSignal signal,
    InboundBacklog backlog,
    TimeProvider clock,
    ILogger<TelegramPolling> logger) : BackgroundService
{
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<Guid, Task> _loops = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var id in await PollingConnectionsAsync(stoppingToken))
                {
                    if (!_loops.TryGetValue(id, out var loop) || loop.IsCompleted)
                        _loops[id] = Task.Run(() => PollAsync(id, stoppingToken), stoppingToken);
                }
                await Task.Delay(Rescan, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogScanFailed(ex.GetType().Name, ex);
                await Task.Delay(Rescan, clock, stoppingToken);
            }
        }
        await Task.WhenAll(_loops.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task<List<Guid>> PollingConnectionsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        return await db.ChannelConnections.IgnoreQueryFilters()
            .Where(c => c.Type == TelegramModule.Channel && c.Mode == ConnectionMode.Polling && db.Workspaces.Any(w => w.Id == c.WorkspaceId && w.ClosedAt == null))
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
    }

    private async Task PollAsync(Guid connectionId, CancellationToken stoppingToken)
    {
        try
        {
            await using var handle = await AcquireAsync(connectionId, stoppingToken);
            if (handle is null)
                return; // another node polls this bot
            while (!stoppingToken.IsCancellationRequested && await PollOnceAsync(connectionId, stoppingToken))
            {
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogPollFailed(connectionId, ex.GetType().Name);
            await RecordErrorAsync(connectionId, FailureSummary.Of(ex), stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
        }
    }

    private Task<IAsyncDisposable?> AcquireAsync(Guid connectionId, CancellationToken cancellationToken) =>
        cluster.TryAcquireAsync("tg-poll:" + connectionId.ToString("N"), TimeSpan.Zero, cancellationToken);

    /// <summary>One getUpdates round; false when the connection is gone or no longer polls.</summary>
    private async Task<bool> PollOnceAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        ChannelConnection? connection;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            connection = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        }
        if (connection is not { Mode: ConnectionMode.Polling })
            return false;

        var bot = clients.For(connection.ToEndpoint(), ChannelHttp.LongPoll);
        var offset = connection.PollingOffset is { } o ? (int?)o : null;
        var updates = await bot.GetUpdates(offset, 100, options.Value.PollTimeoutSeconds, TelegramModule.Updates, cancellationToken);
        if (updates.Length == 0)
            return true;

        await StoreAsync(connection, updates, cancellationToken);
        signal.Notify();
        // A poller paces itself like a webhook: no next round while the backlog is full (ADR 0016).
        await backlog.WaitForRoomAsync(updates.Length, cancellationToken);
        return true;
    }

    private async Task StoreAsync(ChannelConnection polled, Update[] updates, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(polled.WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var ids = updates.Select(u => u.Id.ToString(CultureInfo.InvariantCulture)).ToList();
        var known = await db.InboundEnvelopes.Where(e => e.ConnectionId == polled.Id && ids.Contains(e.ProviderId))
            .Select(e => e.ProviderId).ToListAsync(cancellationToken);
        foreach (var update in updates.Where(u => !known.Contains(u.Id.ToString(CultureInfo.InvariantCulture))))
        {
            var json = JsonSerializer.Serialize(update, JsonBotAPI.Options);
            using var document = JsonDocument.Parse(json);
            var chat = TelegramPayloadReader.ConversationKey(document.RootElement) ?? "update";
            db.InboundEnvelopes.Add(InboundEnvelope.Receive(polled.WorkspaceId, polled.Id, update.Id.ToString(CultureInfo.InvariantCulture), chat, json, clock));
        }
        var connection = await db.ChannelConnections.FirstAsync(c => c.Id == polled.Id, cancellationToken);
        // Telegram forgets updates below the offset we ask with next, so it advances in the same commit as the envelopes.
        connection.AdvancePollingOffset(updates.Max(u => u.Id) + 1L);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task RecordErrorAsync(Guid connectionId, string error, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var connection = await db.ChannelConnections.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
            if (connection is null)
                return;
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(connection.WorkspaceId);
            connection.RecordError("polling: " + error, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPollFailed(connectionId, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning for polling connections failed with {ExceptionType}")]
    private partial void LogScanFailed(string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling connection {ConnectionId} failed with {ExceptionType}")]
    private partial void LogPollFailed(Guid connectionId, string exceptionType);
}
