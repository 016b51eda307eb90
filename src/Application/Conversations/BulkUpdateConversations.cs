using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>
/// One change applied to up to 100 conversations at once: status, assignment and labels. All of them
/// change or none does; an id that is not in the workspace fails the whole request.
/// </summary>
public sealed record BulkUpdateConversations(
    IReadOnlyList<Guid> ConversationIds,
    ConversationStatus? Status = null,
    DateTimeOffset? SnoozedUntil = null,
    Guid? AssigneeId = null,
    bool Unassign = false,
    Guid? TeamId = null,
    IReadOnlyList<string>? AddLabels = null,
    IReadOnlyList<string>? RemoveLabels = null) : ICommand<BulkUpdated>;

public sealed record BulkUpdated(int Count);

public sealed class BulkUpdateConversationsValidator : AbstractValidator<BulkUpdateConversations>
{
    public const int MaxConversations = 100;

    public BulkUpdateConversationsValidator(TimeProvider clock)
    {
        RuleFor(c => c.ConversationIds).NotEmpty()
            .Must(ids => ids is null || ids.Count <= MaxConversations).WithMessage($"A bulk change takes at most {MaxConversations} conversations.")
            .Must(ids => ids is null || ids.Distinct().Count() == ids.Count).WithMessage("Each conversation is listed once.");
        RuleFor(c => c).Must(c => c.Status is not null || c.AssigneeId is not null || c.Unassign || c.TeamId is not null
                                  || c.AddLabels is { Count: > 0 } || c.RemoveLabels is { Count: > 0 })
            .WithName("change").WithMessage("Say what to change: status, assigneeId, unassign, teamId, addLabels or removeLabels.");
        RuleFor(c => c.Unassign).Must((c, unassign) => !(unassign && c.AssigneeId is not null))
            .WithMessage("'unassign' cannot be combined with an assignee.");
        RuleFor(c => c.Status).IsInEnum();
        RuleFor(c => c.SnoozedUntil).NotNull().WithMessage("Snoozing needs 'snoozedUntil'.")
            .Must(until => until > clock.GetUtcNow()).WithMessage("'snoozedUntil' must be in the future.")
            .When(c => c.Status == ConversationStatus.Snoozed);
        RuleFor(c => c.SnoozedUntil).Null().WithMessage("Only snoozing takes 'snoozedUntil'.")
            .When(c => c.Status != ConversationStatus.Snoozed);
        RuleFor(c => c.AddLabels).ValidLabels();
        RuleFor(c => c.RemoveLabels).ValidLabels();
    }
}

public sealed class BulkUpdateConversationsHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<BulkUpdateConversations, BulkUpdated>
{
    public async ValueTask<BulkUpdated> Handle(BulkUpdateConversations command, CancellationToken cancellationToken)
    {
        var ids = command.ConversationIds;
        var conversations = await db.Conversations.Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        if (ids.FirstOrDefault(id => conversations.All(c => c.Id != id)) is var missing && missing != Guid.Empty)
            throw new NotFoundException("Conversation", missing);
        await db.EnsureMemberAsync(command.AssigneeId, cancellationToken);
        await db.EnsureTeamAsync(command.TeamId, cancellationToken);

        foreach (var conversation in conversations)
        {
            if (command.Status is { } status)
                db.Record(conversation.ChangeStatus(status, command.SnoozedUntil, user.UserId, clock));
            if (command.AssigneeId is not null || command.Unassign)
                db.Record(conversation.AssignTo(command.AssigneeId, user.UserId, clock));
            if (command.TeamId is { } team)
                db.Record(conversation.AssignTeam(team, user.UserId, clock));
            if (command.AddLabels is { Count: > 0 } add)
                conversation.AddLabels(add, clock);
            if (command.RemoveLabels is { Count: > 0 } remove)
                conversation.RemoveLabels(remove, clock);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (command.Status is not null and not ConversationStatus.Resolved)
        {
            // The unique index keeps one unresolved conversation per contact and chat; reopening an old
            // one beside a newer open one is refused as a whole.
            throw new ConflictException("conversation.alreadyOpen",
                "A conversation cannot be reopened while its contact has a newer unresolved one in the same chat; nothing was changed.");
        }
        return new BulkUpdated(conversations.Count);
    }
}
