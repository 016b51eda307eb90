using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>
/// An agent answers the customer: the message and its outbox row are written together, or neither. On a channel with a
/// reply window (WhatsApp) a free-form answer after it closed is refused (422) and an approved template is sent instead.
/// </summary>
public sealed record ReplyToConversation(Guid ConversationId, string? Text, IReadOnlyList<Guid>? AttachmentIds = null, TemplateReply? Template = null)
    : ICommand<ReplyResult>;

/// <param name="Parameters">The body's placeholders {{1}} … {{n}} in order.</param>
public sealed record TemplateReply(string Name, string Language, IReadOnlyList<string>? Parameters);

/// <param name="Reopened">The conversation was resolved and this reply reopened it.</param>
public sealed record ReplyResult(MessageDto Message, bool Reopened);

public sealed class ReplyToConversationValidator : AbstractValidator<ReplyToConversation>
{
    public ReplyToConversationValidator()
    {
        RuleFor(c => c.Text).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("A reply needs text, an attachment or a template.")
            .When(c => c.AttachmentIds is not { Count: > 0 } && c.Template is null);
        RuleFor(c => c.Template).Must(t => t is null).WithMessage("A template is sent on its own, without text or attachments.")
            .When(c => !string.IsNullOrWhiteSpace(c.Text) || c.AttachmentIds is { Count: > 0 });
        RuleFor(c => c.Template!.Name).NotEmpty().MaximumLength(512).When(c => c.Template is not null);
        RuleFor(c => c.Template!.Language).NotEmpty().MaximumLength(20).When(c => c.Template is not null);
        RuleFor(c => c.Template!.Parameters).Must(p => p is null || (p.Count <= 20 && p.All(v => !string.IsNullOrEmpty(v) && v.Length <= 1024)))
            .WithMessage("At most 20 parameters, each 1 to 1024 characters.").When(c => c.Template is not null);
        RuleFor(c => c.Text).MaximumLength(Message.MaxTextLength);
        RuleFor(c => c.AttachmentIds).Must(a => a is null || a.Count <= Message.MaxAttachments)
            .WithMessage($"A message has at most {Message.MaxAttachments} attachments.");
    }
}

public sealed class ReplyToConversationHandler(IOneInboxDb db, ICurrentUser user, ChannelModules modules, MessageTemplates templates, TimeProvider clock)
    : ICommandHandler<ReplyToConversation, ReplyResult>
{
    public async ValueTask<ReplyResult> Handle(ReplyToConversation command, CancellationToken cancellationToken)
    {
        var conversation = await db.GetConversationAsync(command.ConversationId, cancellationToken);
        var wasResolved = conversation.Status == ConversationStatus.Resolved;

        var text = command.Text;
        OutboundTemplate? template = null;
        if (command.Template is { } asked)
        {
            var connection = await db.ChannelConnections.AsNoTracking().FirstAsync(c => c.Id == conversation.ConnectionId, cancellationToken);
            var recipient = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == conversation.ContactId, cancellationToken);
            (template, text) = await templates.PrepareAsync(connection, recipient, asked.Name, asked.Language, asked.Parameters ?? [], cancellationToken);
        }
        else
        {
            ReplyWindow.EnsureOpen(conversation, modules, clock);
        }

        var attachments = await AttachmentsAsync(command.AttachmentIds ?? [], cancellationToken);
        var kind = text is { Length: > 0 } || attachments.Count == 0 ? MessageKind.Text : attachments[0].Kind;
        var message = conversation.Reply(MessageAuthorType.Agent, user.UserId, null, kind, text, attachments, clock);
        db.Messages.Add(message);
        db.OutboxMessages.Add(Outbox.For(conversation, message, clock, template: template));
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
