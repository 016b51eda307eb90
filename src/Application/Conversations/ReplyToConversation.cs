using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>An agent answers the customer: the message and its outbox row are written together, or neither.</summary>
public sealed record ReplyToConversation(Guid ConversationId, string? Text, IReadOnlyList<Guid>? AttachmentIds = null) : ICommand<ReplyResult>;

/// <param name="Reopened">The conversation was resolved and this reply reopened it.</param>
public sealed record ReplyResult(MessageDto Message, bool Reopened);

public sealed class ReplyToConversationValidator : AbstractValidator<ReplyToConversation>
{
    public ReplyToConversationValidator()
    {
        RuleFor(c => c.Text).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("A reply needs text or an attachment.")
            .When(c => c.AttachmentIds is not { Count: > 0 });
        RuleFor(c => c.Text).MaximumLength(Message.MaxTextLength);
        RuleFor(c => c.AttachmentIds).Must(a => a is null || a.Count <= Message.MaxAttachments)
            .WithMessage($"A message has at most {Message.MaxAttachments} attachments.");
    }
}

public sealed class ReplyToConversationHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<ReplyToConversation, ReplyResult>
{
    public async ValueTask<ReplyResult> Handle(ReplyToConversation command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        var wasResolved = conversation.Status == ConversationStatus.Resolved;

        var attachments = await AttachmentsAsync(command.AttachmentIds ?? [], cancellationToken);
        var kind = command.Text is { Length: > 0 } || attachments.Count == 0 ? MessageKind.Text : attachments[0].Kind;
        var message = conversation.Reply(MessageAuthorType.Agent, user.UserId, null, kind, command.Text, attachments, clock);
        db.Messages.Add(message);
        db.OutboxMessages.Add(Outbox.For(conversation, message, clock));
        await db.SaveChangesAsync(cancellationToken);
        return new ReplyResult(message.ToDto(), wasResolved);
    }

    private async Task<List<MessageAttachment>> AttachmentsAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return [];
        var found = await db.Attachments.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        if (ids.FirstOrDefault(id => found.All(a => a.Id != id)) is var missing && missing != Guid.Empty)
            throw new NotFoundException("Attachment", missing);
        return ids.Select(id => found.First(a => a.Id == id).ToMessageAttachment()).ToList();
    }
}
