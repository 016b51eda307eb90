using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>Open, pending, snoozed until a time, or resolved.</summary>
public sealed record ChangeConversationStatus(Guid ConversationId, ConversationStatus Status, DateTimeOffset? SnoozedUntil = null)
    : ICommand<ConversationDto>;

public sealed class ChangeConversationStatusValidator : AbstractValidator<ChangeConversationStatus>
{
    public ChangeConversationStatusValidator(TimeProvider clock)
    {
        RuleFor(c => c.Status).IsInEnum();
        RuleFor(c => c.SnoozedUntil).NotNull().WithMessage("Snoozing needs 'snoozedUntil'.")
            .Must(until => until > clock.GetUtcNow()).WithMessage("'snoozedUntil' must be in the future.")
            .When(c => c.Status == ConversationStatus.Snoozed);
        RuleFor(c => c.SnoozedUntil).Null().WithMessage("Only snoozing takes 'snoozedUntil'.")
            .When(c => c.Status != ConversationStatus.Snoozed);
    }
}

public sealed class ChangeConversationStatusHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<ChangeConversationStatus, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(ChangeConversationStatus command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        if (command.Status != ConversationStatus.Resolved && conversation.Status == ConversationStatus.Resolved)
            await EnsureNoOtherOpenAsync(conversation, cancellationToken);
        db.Record(conversation.ChangeStatus(command.Status, command.SnoozedUntil, user.UserId, clock));
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadConversationAsync(conversation.Id, user.UserId, cancellationToken);
    }

    /// <summary>Reopening an old conversation while a newer one is open would break "one open per contact and chat".</summary>
    private async Task EnsureNoOtherOpenAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var other = await db.Conversations.AnyAsync(c => c.ContactId == conversation.ContactId && c.ConnectionId == conversation.ConnectionId
                                                         && c.ConversationKey == conversation.ConversationKey && c.Id != conversation.Id && c.Status != ConversationStatus.Resolved, cancellationToken);
        if (other)
            throw new Common.Exceptions.ConflictException("conversation.alreadyOpen",
                "The contact already has an unresolved conversation in this chat; continue there instead of reopening this one.");
    }
}
