using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Channels.Dispatching;

/// <summary>
/// A connection's outbound health (last send, last error). It is written apart from the outbox rows and at
/// most once a second per connection for successes: every worker touching the one connection row in its own
/// commit would queue them all on its lock.
/// </summary>
internal sealed class ConnectionHealth(IServiceScopeFactory scopes, HealthMarks marks, TimeProvider clock)
{
    public async Task RecordOutboundAsync(Guid workspaceId, Guid connectionId, bool sent, string? error, CancellationToken cancellationToken)
    {
        if (error is null && !(sent && marks.ShouldRecord(connectionId, "outbound", clock.GetUtcNow())))
            return;
        await using var scope = scopes.CreateWorkspaceScope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<OneInboxDbContext>();
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is null)
            return;
        if (sent)
            connection.RecordOutbound(clock.GetUtcNow());
        if (error is not null)
            connection.RecordError(error, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }
}
