using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Conversations;

/// <summary>Who and what a conversation may be assigned to: members and teams of the same workspace only.</summary>
public static class AssignmentTargets
{
    public static async Task EnsureMemberAsync(this IOneInboxDb db, Guid? userId, CancellationToken cancellationToken)
    {
        if (userId is { } id && !await db.Members.AnyAsync(m => m.UserId == id, cancellationToken))
            throw new NotFoundException("Member", id);
    }

    public static async Task EnsureTeamAsync(this IOneInboxDb db, Guid? teamId, CancellationToken cancellationToken)
    {
        if (teamId is { } id && !await db.Teams.AnyAsync(t => t.Id == id, cancellationToken))
            throw new NotFoundException("Team", id);
    }
}
