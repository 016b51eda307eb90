using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Teams;

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

/// <summary>
/// Puts the conversation in a team's queue, or out of it (null). With a strategy, the team's routing also
/// gives it to a member who is online (<see cref="TeamRouting"/>, the rule flows use too).
/// </summary>
public sealed record AssignConversationTeam(Guid ConversationId, Guid? TeamId, TeamAssignmentStrategy? Strategy = null) : ICommand<ConversationDto>;

public sealed class AssignConversationTeamHandler(IOneInboxDb db, ICurrentUser user, TeamRouting routing, TimeProvider clock)
    : ICommandHandler<AssignConversationTeam, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(AssignConversationTeam command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        if (command.TeamId is { } teamId && command.Strategy is { } strategy)
        {
            await routing.RouteAsync(conversation, teamId, strategy, user.UserId, cancellationToken);
        }
        else
        {
            await db.EnsureTeamAsync(command.TeamId, cancellationToken);
            db.Record(conversation.AssignTeam(command.TeamId, user.UserId, clock));
        }
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadConversationAsync(conversation.Id, user.UserId, cancellationToken);
    }
}
