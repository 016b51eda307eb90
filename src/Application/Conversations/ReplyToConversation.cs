using System.Text.Json;
using FluentValidation;
using Mediator;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>An agent answers the customer: the message and its outbox row are written together, or neither.</summary>
public sealed record ReplyToConversation(Guid ConversationId, string Text) : ICommand<ReplyResult>;

/// <param name="Reopened">The conversation was resolved and this reply reopened it.</param>
public sealed record ReplyResult(MessageDto Message, bool Reopened);

public sealed class ReplyToConversationValidator : AbstractValidator<ReplyToConversation>
{
    public ReplyToConversationValidator()
    {
        RuleFor(c => c.Text).NotEmpty().Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("A reply needs text.")
            .MaximumLength(Message.MaxTextLength);
    }
}

public sealed class ReplyToConversationHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<ReplyToConversation, ReplyResult>
{
    public async ValueTask<ReplyResult> Handle(ReplyToConversation command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        var wasResolved = conversation.Status == ConversationStatus.Resolved;

        var message = conversation.Reply(MessageAuthorType.Agent, user.UserId, null, MessageKind.Text, command.Text, [], clock);
        db.Messages.Add(message);
        db.OutboxMessages.Add(Outbox.For(conversation, message, clock));
        await db.SaveChangesAsync(cancellationToken);
        return new ReplyResult(message.ToDto(), wasResolved);
    }
}

/// <summary>Turns an outbound inbox message into the outbox row the channel dispatcher delivers.</summary>
public static class Outbox
{
    public static OutboxMessage For(Conversation conversation, Message message, TimeProvider clock)
    {
        var outbound = new OutboundMessage(
            message.Id,
            conversation.ConversationKey,
            message.Kind,
            message.Text,
            [],
            message.Attachments
                .Where(a => a.StorageKey is not null)
                .Select(a => new OutboundAttachment(a.Kind, a.StorageKey!, a.FileName ?? "attachment", a.ContentType ?? "application/octet-stream"))
                .ToList());
        return OutboxMessage.Create(conversation.ConnectionId, message.Id, JsonSerializer.Serialize(outbound), clock);
    }
}
