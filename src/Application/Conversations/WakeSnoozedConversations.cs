using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>
/// Background work: snoozed conversations whose time has come are open again, in every workspace. Returns
/// how many woke, so the caller can come back at once when a batch was full.
/// </summary>
public sealed record WakeSnoozedConversations(int BatchSize = 200) : ICommand<int>;

public sealed class WakeSnoozedConversationsHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<WakeSnoozedConversations, int>
{
    public async ValueTask<int> Handle(WakeSnoozedConversations command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Conversations.IgnoreQueryFilters()
            .Where(c => c.Status == ConversationStatus.Snoozed && c.SnoozedUntil <= now)
            .OrderBy(c => c.SnoozedUntil)
            .Take(command.BatchSize)
            .ToListAsync(cancellationToken);
        var woken = due.Count(c => c.Wake(clock));
        if (woken > 0)
            await db.SaveChangesAsync(cancellationToken);
        return woken;
    }
}
