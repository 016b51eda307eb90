using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>Records a marketing consent decision with its purpose, legal basis and source; kept as history.</summary>
public sealed record RecordConsent(Guid ContactId, bool Granted, string Purpose, string LegalBasis, string Source) : ICommand<ConsentRecord>;

public sealed class RecordConsentValidator : AbstractValidator<RecordConsent>
{
    public RecordConsentValidator()
    {
        RuleFor(c => c.Purpose).NotEmpty().MaximumLength(Contact.MaxConsentTextLength);
        RuleFor(c => c.LegalBasis).NotEmpty().MaximumLength(Contact.MaxConsentTextLength);
        RuleFor(c => c.Source).NotEmpty().MaximumLength(Contact.MaxConsentTextLength);
    }
}

public sealed class RecordConsentHandler(IOneInboxDb db, ICurrentUser user, TimeProvider clock) : ICommandHandler<RecordConsent, ConsentRecord>
{
    public async ValueTask<ConsentRecord> Handle(RecordConsent command, CancellationToken cancellationToken)
    {
        var contact = await db.GetContactAsync(command.ContactId, cancellationToken);
        var record = contact.RecordConsent(command.Granted, command.Purpose, command.LegalBasis, command.Source, user.UserId, clock);
        db.ContactNotes.Add(ContactNote.Record(contact.Id, ContactNoteKind.Consent, user.UserId,
            $"Marketing consent {(command.Granted ? "given" : "withdrawn")} for {record.Purpose} ({record.LegalBasis}, via {record.Source})", clock));
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }
}
