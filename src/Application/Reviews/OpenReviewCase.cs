using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Flows;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

/// <summary>
/// An agent opens a case on a customer's behalf (they asked by phone, by email, in their own words). Without an instance
/// the latest significant decision of the conversation's last 30 days is contested.
/// </summary>
public sealed record OpenReviewCase(Guid ConversationId, string Words, Guid? InstanceId, int? JournalSequence) : ICommand<ReviewCaseDto>;

public sealed class OpenReviewCaseValidator : AbstractValidator<OpenReviewCase>
{
    public OpenReviewCaseValidator()
    {
        RuleFor(c => c.ConversationId).NotEmpty();
        RuleFor(c => c.Words).NotEmpty().MaximumLength(ReviewCase.MaxWordsLength)
            .WithMessage($"Write what the customer contests, in their words (1 to {ReviewCase.MaxWordsLength} characters).");
        RuleFor(c => c.JournalSequence).Must((c, s) => s is null || c.InstanceId is not null)
            .WithMessage("A step (journalSequence) is named together with its flow run (instanceId).");
    }
}

public sealed class OpenReviewCaseHandler(
    IOneInboxDb db, IFlowConversations conversations, IFlowInterrupter interrupter, ReviewIntake intake, ICurrentUser user, TimeProvider clock) : ICommandHandler<OpenReviewCase, ReviewCaseDto>
{
    public async ValueTask<ReviewCaseDto> Handle(OpenReviewCase command, CancellationToken cancellationToken)
    {
        if (!await db.Conversations.AnyAsync(c => c.Id == command.ConversationId, cancellationToken))
            throw new NotFoundException("Conversation", command.ConversationId);
        if (await intake.HasOpenCaseAsync(command.ConversationId, cancellationToken))
            throw new ConflictException("review.open", "This conversation has an open review case already; add to it instead of opening another.");
        await interrupter.StopForReviewAsync(command.ConversationId, cancellationToken);
        var opened = await conversations.OpenAsync(command.ConversationId, ReviewIntake.ReviewRef, cancellationToken);
        var review = await intake.OpenAsync(command.ConversationId, ReviewSource.Agent, command.Words, user.UserId, command.InstanceId, command.JournalSequence, opened.Actions, cancellationToken)
            ?? throw new UnprocessableException("review.nothing", "No flow made a decision in this conversation in the last 30 days: there is nothing automated to review.");
        await db.SaveChangesAsync(cancellationToken);
        return await db.ToDtoAsync(review, clock.GetUtcNow(), cancellationToken);
    }
}
