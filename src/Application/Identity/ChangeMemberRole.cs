using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

public sealed record ChangeMemberRole(Guid UserId, WorkspaceRole Role) : ICommand<MemberDto>;

public sealed class ChangeMemberRoleValidator : AbstractValidator<ChangeMemberRole>
{
    public ChangeMemberRoleValidator() => RuleFor(c => c.Role).IsInEnum();
}

public sealed class ChangeMemberRoleHandler(IOneInboxDb db, ICurrentUser actor, IAuditLog audit) : ICommandHandler<ChangeMemberRole, MemberDto>
{
    public async ValueTask<MemberDto> Handle(ChangeMemberRole command, CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.UserId == command.UserId, cancellationToken)
            ?? throw new NotFoundException("Member", command.UserId);
        var before = member.Role;
        if (before == WorkspaceRole.Owner && command.Role != WorkspaceRole.Owner
            && !await db.Members.AnyAsync(m => m.Role == WorkspaceRole.Owner && m.UserId != member.UserId, cancellationToken))
            throw new ConflictException("member.lastOwner", "A workspace keeps at least one owner.");
        member.ChangeRole(command.Role, actor.Role ?? WorkspaceRole.Auditor);
        audit.Record("member.role_changed", member.UserId.ToString(), $"{before} -> {command.Role}");
        await db.SaveChangesAsync(cancellationToken);
        return new MemberDto(member.UserId, member.DisplayName, member.Email, member.Role, member.JoinedAt, member.Availability);
    }
}
