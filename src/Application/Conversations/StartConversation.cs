using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <summary>
/// An agent writes first to a contact on one of the workspace's connections: the channel names the chat (a Telegram
/// private chat, a Discord DM channel opened at Discord), the contact's open conversation in that chat takes the
/// message, or a new one is opened. The message then goes out like any reply, with the same rules.
/// </summary>
public sealed record StartConversation(Guid ContactId, Guid ConnectionId, string? Text) : ICommand<StartedConversation>;

/// <param name="Started">A new conversation was opened (false: the contact's open one took the message).</param>
public sealed record StartedConversation(ConversationDto Conversation, MessageDto Message, bool Started);

public sealed class StartConversationValidator : AbstractValidator<StartConversation>
{
    public StartConversationValidator()
    {
        RuleFor(c => c.ContactId).NotEmpty();
        RuleFor(c => c.ConnectionId).NotEmpty();
        RuleFor(c => c.Text).NotEmpty().MaximumLength(Message.MaxTextLength);
    }
}

public sealed class StartConversationHandler(IOneInboxDb db, ChannelModules modules, ISender sender, TimeProvider clock)
    : ICommandHandler<StartConversation, StartedConversation>
{
    public async ValueTask<StartedConversation> Handle(StartConversation command, CancellationToken cancellationToken)
    {
        var connection = await db.ChannelConnections.FirstOrDefaultAsync(c => c.Id == command.ConnectionId, cancellationToken)
            ?? throw new NotFoundException("Channel connection", command.ConnectionId);
        if (!await db.Contacts.AnyAsync(c => c.Id == command.ContactId, cancellationToken))
            throw new NotFoundException("Contact", command.ContactId);

        var identity = await db.ChannelIdentities.AsNoTracking()
            .Where(i => i.ContactId == command.ContactId && i.Channel == connection.Type)
            .OrderBy(i => i.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new UnprocessableException("conversation.no_identity",
                $"The contact has never written on {connection.Type}; there is no one to write to on this connection.");
        var key = await modules.For(connection.Type).StartConversationAsync(connection.ToEndpoint(), identity.ExternalId, cancellationToken)
            ?? throw new UnprocessableException("conversation.not_startable",
                $"Conversations on {connection.Type} connections are started by the customer.");

        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.ContactId == command.ContactId && c.ConnectionId == connection.Id
            && c.ConversationKey == key && c.Status != ConversationStatus.Resolved, cancellationToken);
        var started = conversation is null;
        if (conversation is null)
        {
            conversation = Conversation.Open(command.ContactId, connection.Id, connection.Type, key, clock);
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync(cancellationToken);
        }

        var reply = await sender.Send(new ReplyToConversation(conversation.Id, command.Text), cancellationToken);
        var dto = await sender.Send(new GetConversation(conversation.Id), cancellationToken);
        return new StartedConversation(dto, reply.Message, started);
    }
}
