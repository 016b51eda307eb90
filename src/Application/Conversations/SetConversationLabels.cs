using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>Replaces the conversation's labels (lower-cased, each once).</summary>
public sealed record SetConversationLabels(Guid ConversationId, IReadOnlyList<string> Labels) : ICommand<ConversationDto>;

public sealed class SetConversationLabelsValidator : AbstractValidator<SetConversationLabels>
{
    public SetConversationLabelsValidator() => RuleFor(c => c.Labels).ValidLabels();
}

public sealed class SetConversationLabelsHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<SetConversationLabels, ConversationDto>
{
    public async ValueTask<ConversationDto> Handle(SetConversationLabels command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        conversation.SetLabels(command.Labels, clock);
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadConversationAsync(conversation.Id, user.UserId, cancellationToken);
    }
}

internal static class LabelRules
{
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> ValidLabels<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule)
    {
        var options = rule.Must(l => l is null || l.Count <= Conversation.MaxLabels)
            .WithMessage($"A conversation has at most {Conversation.MaxLabels} labels.");
        rule.ForEach(l => l.Must(label => !string.IsNullOrWhiteSpace(label) && label.Trim().Length <= Conversation.MaxLabelLength)
            .WithMessage($"A label has 1 to {Conversation.MaxLabelLength} characters."));
        return options;
    }
}
