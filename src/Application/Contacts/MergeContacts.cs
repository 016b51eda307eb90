using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Merges a duplicate into the survivor: channel accounts, conversations, notes, tags and attributes move
/// over, the merge is recorded in the survivor's history, and the duplicate is deleted. One transaction.
/// </summary>
public sealed record MergeContacts(Guid SurvivorId, Guid DuplicateId) : ICommand<ContactDto>;

public sealed class MergeContactsValidator : AbstractValidator<MergeContacts>
{
    public MergeContactsValidator()
    {
        RuleFor(c => c.DuplicateId).NotEmpty()
            .NotEqual(c => c.SurvivorId).WithMessage("A contact cannot be merged with itself.");
    }
}

public sealed class MergeContactsHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<MergeContacts, ContactDto>
{
    public async ValueTask<ContactDto> Handle(MergeContacts command, CancellationToken cancellationToken)
    {
        var survivor = await db.GetContactAsync(command.SurvivorId, cancellationToken);
        var duplicate = await db.GetContactAsync(command.DuplicateId, cancellationToken);

        var identities = await db.ChannelIdentities.Where(i => i.ContactId == duplicate.Id).ToListAsync(cancellationToken);
        identities.ForEach(i => i.MoveTo(survivor.Id));

        var notes = await db.ContactNotes.Where(n => n.ContactId == duplicate.Id).ToListAsync(cancellationToken);
        notes.ForEach(n => n.MoveTo(survivor.Id));

        // Each contact may have one unresolved conversation per connection; where both have one, the
        // duplicate's is resolved so that the survivor's stays the place to continue.
        var openConnections = await db.Conversations
            .Where(c => c.ContactId == survivor.Id && c.Status != ConversationStatus.Resolved)
            .Select(c => c.ConnectionId).ToListAsync(cancellationToken);
        var conversations = await db.Conversations.Where(c => c.ContactId == duplicate.Id).ToListAsync(cancellationToken);
        foreach (var conversation in conversations)
        {
            if (conversation.Status != ConversationStatus.Resolved && openConnections.Contains(conversation.ConnectionId))
                db.Messages.Add(conversation.ChangeStatus(ConversationStatus.Resolved, null, user.UserId, clock)!);
            conversation.MoveToContact(survivor.Id, clock);
        }

        var reviews = await db.ReviewCases.Where(r => r.ContactId == duplicate.Id).ToListAsync(cancellationToken);
        reviews.ForEach(r => r.MoveToContact(survivor.Id, user.UserId, clock));

        survivor.Absorb(duplicate, clock);
        db.ContactNotes.Add(ContactNote.Record(survivor.Id, ContactNoteKind.Merge, user.UserId,
            $"Merged contact '{duplicate.DisplayName}' ({duplicate.Id}): {identities.Count} channel account(s), {conversations.Count} conversation(s), {notes.Count} note(s) moved here.",
            clock));
        duplicate.MarkDeleted();
        db.Contacts.Remove(duplicate);

        await db.SaveChangesAsync(cancellationToken);
        return survivor.ToDto();
    }
}
