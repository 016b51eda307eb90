using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Identity;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Reviews;

/// <summary>Gives the case to an Auditor or Owner of the workspace.</summary>
public sealed record AssignReviewCase(Guid CaseId, Guid AssigneeId) : ICommand<ReviewCaseDto>;

public sealed class AssignReviewCaseHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<AssignReviewCase, ReviewCaseDto>
{
    public async ValueTask<ReviewCaseDto> Handle(AssignReviewCase command, CancellationToken cancellationToken)
    {
        var review = await db.GetReviewCaseAsync(command.CaseId, cancellationToken);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.UserId == command.AssigneeId, cancellationToken)
            ?? throw new NotFoundException("Member", command.AssigneeId);
        if (member.Role is not (WorkspaceRole.Auditor or WorkspaceRole.Owner))
            throw new UnprocessableException("review.assignee", "Cases are decided by Auditors and Owners; this member is neither.");
        review.Assign(member.UserId, user.UserId, clock);
        audit.Record("review.assigned", review.Id.ToString(), member.UserId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return await db.ToDtoAsync(review, clock.GetUtcNow(), cancellationToken);
    }
}
