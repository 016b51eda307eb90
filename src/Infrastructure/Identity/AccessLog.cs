using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Identity;

/// <summary>The caller's side: describes the access from the request and hands it to the writer, never waiting on the database.</summary>
internal sealed class AccessLog(AccessEvents events, WorkspaceContext workspace, ICurrentUser user, IHttpContextAccessor http, TimeProvider clock) : IAccessLog
{
    public void Read(string action, string target, Guid? subjectContactId)
    {
        if (!workspace.HasWorkspace)
            return;
        var origin = RequestOrigin.Of(user, http.HttpContext);
        events.Enqueue(AuditEvent.Access(workspace.WorkspaceId, action, origin.Actor, target, subjectContactId,
            origin.IpAddress, origin.UserAgent, origin.Client, clock.GetUtcNow()));
    }
}

/// <summary>The access events waiting to be written, shared by every request of this node.</summary>
internal sealed class AccessEvents
{
    private readonly Channel<AuditEvent> _queue = Channel.CreateUnbounded<AuditEvent>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(AuditEvent access) => _queue.Writer.TryWrite(access);

    public ChannelReader<AuditEvent> Reader => _queue.Reader;
}

/// <summary>
/// Writes access events in batches: whatever arrived within <see cref="Gather"/> of the first, up to
/// <see cref="MaxBatch"/>, in one save (one round of inserts). A failed batch is tried again; at shutdown what is
/// queued is written before the host stops. A crash loses at most the last moment's reads.
/// </summary>
internal sealed partial class AccessEventWriter(AccessEvents events, IServiceScopeFactory scopes, TimeProvider clock, ILogger<AccessEventWriter> logger)
    : BackgroundService
{
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);

    public const int MaxBatch = 500;

    private const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEvent>(MaxBatch);
        try
        {
            while (await events.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Gather, clock, stoppingToken);
                await WriteQueuedAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is queued still goes to the database.
            await WriteQueuedAsync(batch, CancellationToken.None);
        }
    }

    private async Task WriteQueuedAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && events.Reader.TryRead(out var access))
                batch.Add(access);
            if (batch.Count == 0)
                return;
            await WriteAsync(batch, cancellationToken);
        }
    }

    private async Task WriteAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
                db.AuditEvents.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts && ex is not OperationCanceledException)
            {
                LogRetry(batch.Count, attempt, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(attempt), clock, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLost(batch.Count, ex.GetType().Name, ex);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} access events failed (attempt {Attempt}, {ExceptionType}); trying again")]
    private partial void LogRetry(int count, int attempt, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} access events could not be written ({ExceptionType})")]
    private partial void LogLost(int count, string exceptionType, Exception exception);
}
