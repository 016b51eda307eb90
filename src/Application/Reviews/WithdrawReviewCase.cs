using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

/// <summary>The customer (or the agent for them) takes the request back; they are told nothing more.</summary>
public sealed record WithdrawReviewCase(Guid CaseId, string Reason) : ICommand<ReviewCaseDto>;

public sealed class WithdrawReviewCaseValidator : AbstractValidator<WithdrawReviewCase>
{
    public WithdrawReviewCaseValidator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(ReviewCase.MaxReasonLength);
}

public sealed class WithdrawReviewCaseHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<WithdrawReviewCase, ReviewCaseDto>
{
    public async ValueTask<ReviewCaseDto> Handle(WithdrawReviewCase command, CancellationToken cancellationToken)
    {
        var review = await db.GetReviewCaseAsync(command.CaseId, cancellationToken);
        review.Withdraw(command.Reason, user.UserId, clock);
        audit.Record("review.withdrawn", review.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return await db.ToDtoAsync(review, clock.GetUtcNow(), cancellationToken);
    }
}
