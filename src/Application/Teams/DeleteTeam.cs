using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Teams;

/// <summary>Deletes a team; its conversations stay where they are, without a team.</summary>
public sealed record DeleteTeam(Guid TeamId) : ICommand<Unit>;

public sealed class DeleteTeamHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<DeleteTeam, Unit>
{
    public async ValueTask<Unit> Handle(DeleteTeam command, CancellationToken cancellationToken)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == command.TeamId, cancellationToken)
            ?? throw new NotFoundException("Team", command.TeamId);
        var queued = await db.Conversations.Where(c => c.TeamId == team.Id).ToListAsync(cancellationToken);
        foreach (var conversation in queued)
        {
            if (conversation.AssignTeam(null, null, clock) is { } line)
                db.Messages.Add(line);
        }
        db.Teams.Remove(team);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
