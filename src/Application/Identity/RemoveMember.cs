using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

/// <summary>Removes a member; their tokens for this workspace stop working at once.</summary>
public sealed record RemoveMember(Guid UserId) : ICommand;

public sealed class RemoveMemberHandler(IOneInboxDb db, ICurrentUser actor, IAuditLog audit) : ICommandHandler<RemoveMember>
{
    public async ValueTask<Unit> Handle(RemoveMember command, CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.UserId == command.UserId, cancellationToken)
            ?? throw new NotFoundException("Member", command.UserId);
        if (member.Role == WorkspaceRole.Owner)
        {
            if (actor.Role != WorkspaceRole.Owner)
                throw new ForbiddenException("Only an owner can remove an owner.");
            if (!await db.Members.AnyAsync(m => m.Role == WorkspaceRole.Owner && m.UserId != member.UserId, cancellationToken))
                throw new ConflictException("member.lastOwner", "A workspace keeps at least one owner.");
        }
        db.Members.Remove(member);
        audit.Record("member.removed", member.UserId.ToString(), member.Role.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
