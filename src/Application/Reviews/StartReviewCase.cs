using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Identity;

namespace OneInbox.Application.Reviews;

/// <summary>The reviewer takes the case on: it shows as in review, assigned to them unless it was assigned already.</summary>
public sealed record StartReviewCase(Guid CaseId) : ICommand<ReviewCaseDto>;

public sealed class StartReviewCaseHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<StartReviewCase, ReviewCaseDto>
{
    public async ValueTask<ReviewCaseDto> Handle(StartReviewCase command, CancellationToken cancellationToken)
    {
        var review = await db.GetReviewCaseAsync(command.CaseId, cancellationToken);
        review.Start(user.UserId ?? throw new ForbiddenException("A case is reviewed by a person signed in, not an integration."), clock);
        audit.Record("review.started", review.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return await db.ToDtoAsync(review, clock.GetUtcNow(), cancellationToken);
    }
}
