using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Contacts;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>
/// A customer's message arrives from a channel: upsert the contact by channel identity, find or open the
/// conversation, append the message. Idempotent on (connection, provider message id).
/// </summary>
/// <param name="Batched">
/// The caller receives many messages as one unit of work and, if that unit fails, receives each one again on
/// its own. The duplicate lookup is then skipped: a message received before is refused by the unique index on
/// (connection, provider message id), which fails the unit, and the retry on its own finds the duplicate.
/// </param>
/// <param name="SendersLoaded">
/// The caller loaded the channel identities and contacts of the senders into the unit of work: a sender not found
/// there is new, and no query asks the database again.
/// </param>
public sealed record ReceiveMessage(Guid ConnectionId, ChannelType Channel, InboundMessage Message, bool Batched = false, bool SendersLoaded = false)
    : ICommand<ReceivedMessage>;

/// <param name="Duplicate">True when the provider message id was already received; nothing changed.</param>
public sealed record ReceivedMessage(Guid ContactId, Guid ConversationId, Guid MessageId, bool Duplicate);

public sealed class ReceiveMessageValidator : AbstractValidator<ReceiveMessage>
{
    public const int MaxProviderIdLength = 200;

    public ReceiveMessageValidator()
    {
        RuleFor(c => c.ConnectionId).NotEmpty();
        RuleFor(c => c.Channel).IsInEnum();
        RuleFor(c => c.Message).NotNull();
        RuleFor(c => c.Message.ProviderMessageId).NotEmpty().MaximumLength(MaxProviderIdLength).When(c => c.Message is not null);
        RuleFor(c => c.Message.EditOf).MaximumLength(MaxProviderIdLength).When(c => c.Message is not null);
        RuleFor(c => c.Message.ReplyTo).MaximumLength(MaxProviderIdLength).When(c => c.Message is not null);
        RuleFor(c => c.Message.ReactionTo).MaximumLength(MaxProviderIdLength).When(c => c.Message is not null);
        RuleFor(c => c.Message.ConversationKey).NotEmpty().MaximumLength(Conversation.MaxConversationKeyLength).When(c => c.Message is not null);
        RuleFor(c => c.Message.Kind).IsInEnum().When(c => c.Message is not null);
        RuleFor(c => c.Message.Text).MaximumLength(Message.MaxTextLength).When(c => c.Message is not null);
        RuleFor(c => c.Message.Attachments).NotNull().Must(a => a.Count <= Message.MaxAttachments)
            .WithMessage($"A message has at most {Message.MaxAttachments} attachments.").When(c => c.Message is not null);
        RuleFor(c => c.Message.Sender).NotNull().When(c => c.Message is not null);
        RuleFor(c => c.Message.Sender.ExternalId).NotEmpty().MaximumLength(ChannelIdentity.MaxExternalIdLength)
            .When(c => c.Message?.Sender is not null);
    }
}

public sealed class ReceiveMessageHandler(IOneInboxDb db, ChannelModules modules, TimeProvider clock) : ICommandHandler<ReceiveMessage, ReceivedMessage>
{
    public async ValueTask<ReceivedMessage> Handle(ReceiveMessage command, CancellationToken cancellationToken)
    {
        var inbound = command.Message;

        if (inbound.EditOf is { } editOf && await FindAsync(command.ConnectionId, editOf, cancellationToken) is (Message original, Guid originalContact))
        {
            original.Edit(inbound.Text, clock);
            await db.SaveChangesAsync(cancellationToken);
            return new ReceivedMessage(originalContact, original.ConversationId, original.Id, Duplicate: false);
        }

        // A reaction shows on the message it reacts to; one to a message we do not know stays a visible event.
        if (inbound.ReactionTo is { } target && await FindAsync(command.ConnectionId, target, cancellationToken) is (Message reacted, Guid reactedContact))
        {
            reacted.React(inbound.Text);
            await db.SaveChangesAsync(cancellationToken);
            return new ReceivedMessage(reactedContact, reacted.ConversationId, reacted.Id, Duplicate: false);
        }

        if (!command.Batched && await FindAsync(command.ConnectionId, inbound.ProviderMessageId, cancellationToken) is (Message known, Guid knownContact))
            return new ReceivedMessage(knownContact, known.ConversationId, known.Id, Duplicate: true);

        var (contact, isNew) = await FindOrCreateContactAsync(command.Channel, inbound.Sender, command.SendersLoaded, cancellationToken);
        // A contact created just now has no conversation to continue.
        var conversation = (isNew ? null : await db.Conversations.FirstOrDefaultAsync(
                c => c.ContactId == contact.Id && c.ConnectionId == command.ConnectionId && c.ConversationKey == inbound.ConversationKey
                     && c.Status != ConversationStatus.Resolved,
                cancellationToken))
            ?? (isNew ? null : await AwaitingRatingAsync(contact.Id, command.ConnectionId, inbound.ConversationKey, cancellationToken))
            ?? AddNew(Conversation.Open(contact.Id, command.ConnectionId, command.Channel, inbound.ConversationKey, clock));

        var message = conversation.Receive(
            inbound.ProviderMessageId,
            inbound.Kind,
            Describe(inbound),
            inbound.Attachments.Select(Record).ToList(),
            inbound.Location is { } l ? new MessageLocation(l.Latitude, l.Longitude, l.Name, l.Address) : null,
            inbound.ButtonPayload,
            inbound.SentAt,
            clock,
            modules.Find(command.Channel)?.ReplyWindow);
        if (inbound.ReplyTo is { } replyTo && await FindAsync(command.ConnectionId, replyTo, cancellationToken) is (Message answered, _))
            message.Answers(answered);
        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return new ReceivedMessage(contact.Id, conversation.Id, message.Id, Duplicate: false);
    }

    /// <summary>A resolved conversation whose flow asked the customer for a rating lately: their answer goes back to it.</summary>
    private async Task<Conversation?> AwaitingRatingAsync(Guid contactId, Guid connectionId, string conversationKey, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Conversation.RatingWindow;
        return await db.Conversations
            .Where(c => c.ContactId == contactId && c.ConnectionId == connectionId && c.ConversationKey == conversationKey && c.RatingAskedAt > since)
            .OrderByDescending(c => c.RatingAskedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<(Message Message, Guid ContactId)?> FindAsync(Guid connectionId, string providerMessageId, CancellationToken cancellationToken)
    {
        var found = await db.Messages
            .Where(m => m.ConnectionId == connectionId && m.ProviderMessageId == providerMessageId)
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => new { Message = m, c.ContactId })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Message, found.ContactId);
    }

    private async Task<(Contact Contact, bool IsNew)> FindOrCreateContactAsync(ChannelType channel, ChannelSender sender, bool loaded, CancellationToken cancellationToken)
    {
        var externalId = sender.ExternalId.Trim();
        // The unit of work first: it holds the identities its caller loaded and those it created a message earlier.
        var identity = db.Tracked<ChannelIdentity>().FirstOrDefault(i => i.Channel == channel && i.ExternalId == externalId)
                       ?? (loaded ? null : await db.ChannelIdentities.FirstOrDefaultAsync(i => i.Channel == channel && i.ExternalId == externalId, cancellationToken));
        if (identity is not null)
        {
            identity.UpdateUsername(sender.Username);
            return (await db.Contacts.FindAsync([identity.ContactId], cancellationToken)
                    ?? throw new InvalidOperationException("A channel identity without its contact."), false);
        }

        var phones = ContactRules.TryNormalizePhone(sender.PhoneNumber, out var e164) ? new[] { e164 } : [];
        var contact = Contact.Create(NameOf(channel, sender), phones, [], clock);
        db.Contacts.Add(contact);
        db.ChannelIdentities.Add(ChannelIdentity.Create(contact.Id, channel, externalId, sender.Username, clock));
        return (contact, true);
    }

    /// <summary>
    /// A customer's file the channel downloaded becomes an attachment of the workspace like an agent's upload
    /// (one store, one key format, one id to show, export and erase it by); one still only at the provider stays a reference.
    /// </summary>
    private MessageAttachment Record(InboundAttachment inbound)
    {
        if (inbound.StorageKey is null)
            return new MessageAttachment(inbound.Kind, null, inbound.ProviderFileId, inbound.FileName, inbound.ContentType, inbound.SizeBytes);
        var attachment = Attachment.Record(inbound.StorageKey, inbound.FileName ?? "attachment", inbound.ContentType ?? "application/octet-stream",
            inbound.SizeBytes ?? 0, null, clock);
        db.Attachments.Add(attachment);
        return attachment.ToMessageAttachment() with { Kind = inbound.Kind, ProviderFileId = inbound.ProviderFileId };
    }

    private Conversation AddNew(Conversation conversation)
    {
        db.Conversations.Add(conversation);
        return conversation;
    }

    private static string NameOf(ChannelType channel, ChannelSender sender)
    {
        var name = new[] { sender.DisplayName, sender.Username }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim()
            ?? $"{channel} {sender.ExternalId}";
        return name.Length <= Contact.MaxDisplayNameLength ? name : name[..Contact.MaxDisplayNameLength];
    }

    /// <summary>A shared contact card has no text of its own; its name is what an agent needs to see in the history.</summary>
    private static string? Describe(InboundMessage inbound) => inbound switch
    {
        // A reaction to a message we do not have: kept as an event, never dropped.
        { ReactionTo: not null } => string.IsNullOrEmpty(inbound.Text) ? "Removed a reaction" : $"Reacted {inbound.Text}",
        _ => inbound.Text ?? (inbound.ContactCard is { } card ? card.DisplayName : null),
    };
}
