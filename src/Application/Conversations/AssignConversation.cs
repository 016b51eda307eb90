using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Conversations;

/// <summary>Gives the conversation to a member of the workspace, or takes it back (null).</summary>
public sealed record AssignConversation(Guid ConversationId, Guid? AssigneeId) : ICommand<ConversationDto>;

public sealed class AssignConversationHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<AssignConversation, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(AssignConversation command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        await db.EnsureMemberAsync(command.AssigneeId, cancellationToken);
        db.Record(conversation.AssignTo(command.AssigneeId, user.UserId, clock));
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadConversationAsync(conversation.Id, user.UserId, cancellationToken);
    }
}

/// <summary>Puts the conversation in a team's queue, or out of it (null).</summary>
public sealed record AssignConversationTeam(Guid ConversationId, Guid? TeamId) : ICommand<ConversationDto>;

public sealed class AssignConversationTeamHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<AssignConversationTeam, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(AssignConversationTeam command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        await db.EnsureTeamAsync(command.TeamId, cancellationToken);
        db.Record(conversation.AssignTeam(command.TeamId, user.UserId, clock));
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadConversationAsync(conversation.Id, user.UserId, cancellationToken);
    }
}
