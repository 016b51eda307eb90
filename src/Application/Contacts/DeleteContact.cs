using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Deletes a contact with its channel accounts, notes, conversations and messages. (Erasure with an audit
/// record for data-subject requests belongs to the privacy feature; this is the agent's delete.)
/// </summary>
public sealed record DeleteContact(Guid ContactId) : ICommand<Unit>;

public sealed class DeleteContactHandler(IOneInboxDb db) : ICommandHandler<DeleteContact, Unit>
{
    public async ValueTask<Unit> Handle(DeleteContact command, CancellationToken cancellationToken)
    {
        var contact = await db.GetContactAsync(command.ContactId, cancellationToken);
        var conversations = await db.Conversations.Where(c => c.ContactId == contact.Id).ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();
        db.Messages.RemoveRange(await db.Messages.Where(m => conversationIds.Contains(m.ConversationId)).ToListAsync(cancellationToken));
        db.Conversations.RemoveRange(conversations);
        db.ChannelIdentities.RemoveRange(await db.ChannelIdentities.Where(i => i.ContactId == contact.Id).ToListAsync(cancellationToken));
        db.ContactNotes.RemoveRange(await db.ContactNotes.Where(n => n.ContactId == contact.Id).ToListAsync(cancellationToken));
        contact.MarkDeleted();
        db.Contacts.Remove(contact);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
