using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// Brings final delivery statuses onto the inbox messages, after the outbox outcomes are committed, so that a
/// failing report can never cause a second send. A unit's messages are read in one query and their statuses
/// written in one commit; on failure, one by one.
/// </summary>
internal sealed partial class DeliveryReports(IServiceScopeFactory scopes, ILogger<DeliveryReports> logger)
{
    public async Task RecordAsync(Guid workspaceId, IReadOnlyList<RecordDeliveryStatus> reports, CancellationToken cancellationToken)
    {
        if (reports.Count == 0)
            return;
        try
        {
            await using var scope = scopes.CreateWorkspaceScope(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            if (reports.Count > 1)
            {
                var ids = reports.Select(r => r.MessageId).ToList();
                await db.Messages.Where(m => ids.Contains(m.Id)).LoadAsync(cancellationToken);
            }
            using (db.DeferWrites())
            {
                foreach (var report in reports)
                    await sender.Send(report, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && reports.Count > 1)
        {
            LogFallback(reports.Count, ex.GetType().Name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(reports[0].MessageId, ex.GetType().Name);
            return;
        }
        foreach (var report in reports)
            await RecordAsync(workspaceId, [report], cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {Count} delivery statuses together failed with {ExceptionType}; recording them one by one")]
    private partial void LogFallback(int count, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery status of message {MessageId} could not be recorded ({ExceptionType})")]
    private partial void LogReportFailed(Guid messageId, string exceptionType);
}
