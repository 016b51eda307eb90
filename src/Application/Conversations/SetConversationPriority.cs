using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

public sealed record SetConversationPriority(Guid ConversationId, ConversationPriority Priority) : ICommand<ConversationDto>;

public sealed class SetConversationPriorityValidator : AbstractValidator<SetConversationPriority>
{
    public SetConversationPriorityValidator() => RuleFor(c => c.Priority).IsInEnum();
}

public sealed class SetConversationPriorityHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<SetConversationPriority, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(SetConversationPriority command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        conversation.SetPriority(command.Priority, clock);
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadConversationAsync(conversation.Id, user.UserId, cancellationToken);
    }
}
