using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>An agent's note on the contact (as opposed to a note in one conversation).</summary>
public sealed record AddContactNote(Guid ContactId, string Text) : ICommand<ContactNoteDto>;

public sealed record ContactNoteDto(Guid Id, Guid ContactId, ContactNoteKind Kind, string Text, Guid? AuthorUserId, DateTimeOffset CreatedAt);

public sealed class AddContactNoteValidator : AbstractValidator<AddContactNote>
{
    public AddContactNoteValidator() =>
        RuleFor(c => c.Text).NotEmpty().Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("A note needs text.").MaximumLength(ContactNote.MaxTextLength);
}

public sealed class AddContactNoteHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<AddContactNote, ContactNoteDto>
{
    public async ValueTask<ContactNoteDto> Handle(AddContactNote command, CancellationToken cancellationToken)
    {
        var contact = await db.GetContactAsync(command.ContactId, cancellationToken);
        var note = ContactNote.Write(contact.Id, user.UserId, command.Text, clock);
        db.ContactNotes.Add(note);
        await db.SaveChangesAsync(cancellationToken);
        return new ContactNoteDto(note.Id, note.ContactId, note.Kind, note.Text, note.AuthorUserId, note.CreatedAt);
    }
}
