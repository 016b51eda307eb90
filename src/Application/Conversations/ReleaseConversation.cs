using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Conversations;

/// <summary>
/// An agent gives a handed-off conversation back to automation: the bot may answer again, and a flow that
/// handed off with "resume when released" continues (in the same unit of work, through the domain event).
/// </summary>
public sealed record ReleaseConversation(Guid ConversationId) : ICommand<ConversationDto>;

public sealed class ReleaseConversationHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<ReleaseConversation, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(ReleaseConversation command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        db.Record(conversation.Release(user.UserId, clock));
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadConversationAsync(conversation.Id, user.UserId, cancellationToken);
    }
}
