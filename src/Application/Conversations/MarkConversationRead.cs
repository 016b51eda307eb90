using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>The caller has read the conversation up to now: its unread count for them drops to zero.</summary>
public sealed record MarkConversationRead(Guid ConversationId) : ICommand;

public sealed class MarkConversationReadHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<MarkConversationRead>
{
    public async ValueTask<Unit> Handle(MarkConversationRead command, CancellationToken cancellationToken)
    {
        // Read state belongs to a person; an integration client has no inbox of its own to mark.
        var me = user.UserId ?? throw new ForbiddenException("Only a signed-in member has read state.");
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);

        var mark = await db.ConversationReadMarks
            .FirstOrDefaultAsync(r => r.ConversationId == conversation.Id && r.UserId == me, cancellationToken);
        if (mark is null)
            db.ConversationReadMarks.Add(ConversationReadMark.First(conversation.Id, me, clock));
        else
            mark.MarkRead(clock);

        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
