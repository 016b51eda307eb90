using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneInbox.Infrastructure.Workers;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Discord;

/// <summary>
/// One gateway session per Discord bot in the whole cluster: each node tries the connection's cluster lock (a
/// PostgreSQL advisory lock; in-process on SQLite) every few seconds, and the holder runs the session. When the holder
/// dies its database session ends, the lock frees, and the next node's scan takes over and resumes from the session state
/// the holder saved with the connection. Events are stored as envelopes before their sequence counts as handled
/// (<see cref="GatewayConnector"/>); a resume from a saved sequence that is a little behind replays events whose
/// envelopes exist already, and the envelope key (the message id) makes those duplicates harmless.
/// A close code that reconnecting cannot fix stops the session and puts the reason in the connection's health;
/// it starts again when the connection's credentials change.
/// </summary>
internal sealed partial class DiscordGateways(
    IServiceScopeFactory scopes,
    ClusterLock cluster,
    DiscordClients clients,
    WorkSignal signal,
    TimeProvider clock,
    ILogger<DiscordGateways> logger) : BackgroundService
{
    /// <summary>How often each node looks for sessions to hold; a takeover happens within this plus the lock's release.</summary>
    public static readonly TimeSpan Rescan = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(2);
    private readonly IServiceScopeFactory _scopes = scopes;
    private readonly WorkSignal _signal = signal;
    private readonly TimeProvider _clock = clock;
    private readonly ConcurrentDictionary<Guid, Task> _sessions = new();
    private readonly ConcurrentDictionary<Guid, string> _stoppedWith = new();
    private readonly ConcurrentDictionary<Guid, IdentifyBudget> _budgets = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (id, credentials) in await ConnectionsAsync(stoppingToken))
                {
                    if (_stoppedWith.TryGetValue(id, out var stoppedWith) && stoppedWith == credentials)
                        continue; // stopped for a reason reconnecting cannot fix, until the credentials change
                    _stoppedWith.TryRemove(id, out _);
                    if (!_sessions.TryGetValue(id, out var session) || session.IsCompleted)
                        _sessions[id] = Task.Run(() => HoldAsync(id, stoppingToken), stoppingToken);
                }
                await Task.Delay(Rescan, _clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogScanFailed(ex.GetType().Name, ex);
                await Task.Delay(Rescan, _clock, stoppingToken);
            }
        }
        await Task.WhenAll(_sessions.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    /// <summary>The Discord connections and a fingerprint of their credentials (to notice a rotated token).</summary>
    private async Task<List<(Guid Id, string Credentials)>> ConnectionsAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var rows = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Type == DiscordModule.Channel && db.Workspaces.Any(w => w.Id == c.WorkspaceId && w.ClosedAt == null))
            .Select(c => new { c.Id, c.Credentials })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, Fingerprint(ChannelCredentials.Deserialize(r.Credentials)))).ToList();
    }

    private static string Fingerprint(IReadOnlyDictionary<string, string> credentials) =>
        string.Join('|', credentials.Where(c => c.Key != DiscordModule.GatewaySessionState).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + "=" + c.Value.GetHashCode(StringComparison.Ordinal)));

    private async Task HoldAsync(Guid connectionId, CancellationToken stoppingToken)
    {
        try
        {
            await using var handle = await cluster.TryAcquireAsync("discord-gateway:" + connectionId.ToString("N"), TimeSpan.Zero, stoppingToken);
            if (handle is null)
                return; // another node holds this bot's session
            await RunSessionAsync(connectionId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogSessionFailed(connectionId, ex.GetType().Name);
            await RecordErrorAsync(connectionId, "gateway: " + FailureSummary.Of(ex), stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(5), _clock, stoppingToken);
        }
    }

    private async Task RunSessionAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var connection = await LoadAsync(connectionId, cancellationToken);
        if (connection is null)
            return;
        var endpoint = connection.ToEndpoint();
        var credentials = endpoint.Credentials;
        var token = credentials[ChannelCredentials.BotToken];
        var rest = clients.For(endpoint);
        var gateway = await rest.GetGatewayBotAsync(cancellationToken);
        var budget = _budgets.GetOrAdd(connectionId, _ => new IdentifyBudget());
        if (gateway.SessionStartLimit is { } limit)
            budget.Update(limit.Remaining, TimeSpan.FromMilliseconds(limit.ResetAfterMs), limit.MaxConcurrency, _clock.GetUtcNow());
        var gatewayUrl = new Uri(credentials.GetValueOrDefault(DiscordModule.GatewayUrl) ?? gateway.Url);

        var session = new GatewaySession(token, GatewayIntents.Inbox, Random.Shared);
        if (credentials.GetValueOrDefault(DiscordModule.GatewaySessionState) is { } saved && JsonSerializer.Deserialize<SavedSession>(saved) is { } state)
            session.Restore(state.SessionId, state.ResumeUrl, state.Sequence, credentials.GetValueOrDefault(DiscordModule.BotUserId));
        var receiver = new Receiver(this, connection.WorkspaceId, connectionId, endpoint, rest);
        var connector = new GatewayConnector(session, gatewayUrl, receiver, budget, _clock);
        GatewayStopped stopped;
        try
        {
            stopped = await connector.RunAsync(cancellationToken);
        }
        finally
        {
            // Shutting down (or losing the lock) leaves the session resumable for whoever holds it next.
            await receiver.SaveSessionAsync(session, force: true, CancellationToken.None);
        }
        LogStopped(connectionId, stopped.CloseCode);
        _stoppedWith[connectionId] = Fingerprint(credentials);
        await RecordErrorAsync(connectionId, "gateway stopped: " + stopped.Reason, cancellationToken);
    }

    private async Task<ChannelConnection?> LoadAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        return await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
    }

    private async Task RecordErrorAsync(Guid connectionId, string error, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateConnectionAsync(connectionId, c => c.RecordError(error, _clock.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSessionFailed(connectionId, ex.GetType().Name);
        }
    }

    private async Task UpdateConnectionAsync(Guid connectionId, Action<ChannelConnection> change, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var connection = await db.ChannelConnections.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is null)
            return;
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(connection.WorkspaceId);
        change(connection);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What a takeover resumes from, kept (encrypted) with the connection's credentials.</summary>
    private sealed record SavedSession(string SessionId, string ResumeUrl, long? Sequence);

    /// <summary>Stores one connection's dispatches as envelopes and keeps its session state and health.</summary>
    private sealed class Receiver(DiscordGateways host, Guid workspaceId, Guid connectionId, ChannelEndpoint endpoint, DiscordRestClient rest) : IGatewayReceiver
    {
        private readonly HashSet<string> _listed = DiscordEvents.ListedChannels(endpoint.Credentials).ToHashSet(StringComparer.Ordinal);
        private string? _botUserId = endpoint.Credentials.GetValueOrDefault(DiscordModule.BotUserId);
        private (string? SessionId, long? Sequence) _saved;
        private DateTimeOffset _savedAt;

        public async ValueTask ReceiveAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
        {
            using var document = JsonDocument.Parse(dispatch.Json);
            var data = document.RootElement;
            var keys = DiscordEvents.Deliver(dispatch.EventName, data, _botUserId, _listed.Contains);
            if (keys is null)
                return;
            await using (var scope = host._scopes.CreateAsyncScope())
            {
                var store = scope.ServiceProvider.GetRequiredService<IInboundEnvelopeStore>();
                var envelope = InboundEnvelope.Receive(workspaceId, connectionId, keys.ProviderId, keys.ConversationKey,
                    DiscordEvents.Payload(dispatch.EventName, dispatch.Json), host._clock);
                await store.AddAsync(envelope, cancellationToken);
            }
            host._signal.Notify();
            if (dispatch.EventName == DiscordEvents.InteractionCreate)
                _ = AcknowledgeAsync(data.GetProperty("id").GetString()!, data.GetProperty("token").GetString()!);
        }

        /// <summary>A press must be acknowledged within 3 s, long before the flow has run: a deferred update, now that it is stored.</summary>
        private async Task AcknowledgeAsync(string interactionId, string interactionToken)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await rest.RespondToInteractionAsync(interactionId, interactionToken, 6, timeout.Token);
            }
            catch (Exception ex)
            {
                host.LogAcknowledgeFailed(connectionId, ex.GetType().Name);
            }
        }

        public async ValueTask LiveAsync(GatewaySession session, bool resumed, CancellationToken cancellationToken)
        {
            _botUserId = session.BotUserId ?? _botUserId;
            await SaveSessionAsync(session, force: true, cancellationToken);
            host.LogLive(connectionId, resumed);
        }

        public async ValueTask ReconnectingAsync(GatewaySession session, string reason, CancellationToken cancellationToken)
        {
            host.LogReconnecting(connectionId, reason);
            await SaveSessionAsync(session, force: false, cancellationToken);
        }

        /// <summary>Writes the session state when it changed, at most every couple of seconds unless forced.</summary>
        public async Task SaveSessionAsync(GatewaySession session, bool force, CancellationToken cancellationToken)
        {
            var now = host._clock.GetUtcNow();
            if (_saved == (session.SessionId, session.Sequence) || (!force && now - _savedAt < SaveEvery))
                return;
            try
            {
                var state = session.SessionId is { } id && session.ResumeGatewayUrl is { } url
                    ? JsonSerializer.Serialize(new SavedSession(id, url, session.Sequence))
                    : null;
                await host.UpdateConnectionAsync(connectionId, connection =>
                {
                    var credentials = ChannelCredentials.Deserialize(connection.Credentials).ToDictionary();
                    if (state is null)
                        credentials.Remove(DiscordModule.GatewaySessionState);
                    else
                        credentials[DiscordModule.GatewaySessionState] = state;
                    if (session.BotUserId is { } bot)
                        credentials[DiscordModule.BotUserId] = bot;
                    connection.ReplaceCredentials(ChannelCredentials.Serialize(credentials));
                }, cancellationToken);
                _saved = (session.SessionId, session.Sequence);
                _savedAt = now;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                host.LogSessionFailed(connectionId, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning for Discord connections failed with {ExceptionType}")]
    private partial void LogScanFailed(string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway of connection {ConnectionId} failed with {ExceptionType}")]
    private partial void LogSessionFailed(Guid connectionId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway of connection {ConnectionId} stopped with close code {CloseCode}")]
    private partial void LogStopped(Guid connectionId, int? closeCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway of connection {ConnectionId} is live (resumed: {Resumed})")]
    private partial void LogLive(Guid connectionId, bool resumed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway of connection {ConnectionId} reconnects: {Reason}")]
    private partial void LogReconnecting(Guid connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging a Discord button press on connection {ConnectionId} failed with {ExceptionType}")]
    private partial void LogAcknowledgeFailed(Guid connectionId, string exceptionType);
}
