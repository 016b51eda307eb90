using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Contacts;
using OneInbox.Application.Identity;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>
/// Carries out a case and closes it. Erasure erases the contact (after queueing the workspace's confirmation to
/// them), or, under a legal hold, refuses with the hold's reason and tells them so. Restriction, and objection to
/// automation, set the contact's restriction, which stops their flows at once and hands the conversation to a
/// person. Objection to marketing and consent withdrawal record the withdrawn consent, which the send path
/// enforces. A correction writes the new value and notes old and new in the contact's history. Access and
/// portability close with what was handed over (the note says how).
/// </summary>
public sealed record CompletePrivacyRequest(Guid RequestId, string? Note = null) : ICommand<PrivacyRequestDto>;

public sealed class CompletePrivacyRequestValidator : AbstractValidator<CompletePrivacyRequest>
{
    public CompletePrivacyRequestValidator() => RuleFor(c => c.Note).MaximumLength(PrivacyRequest.MaxTextLength);
}

public sealed class CompletePrivacyRequestHandler(IOneInboxDb db, ContactErasure erasure, ICurrentUser user, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<CompletePrivacyRequest, PrivacyRequestDto>
{
    public const string LegalHoldBasis = "Legal hold: GDPR art. 17(3)(b) and (e), data kept to comply with a legal obligation or for legal claims";

    public async ValueTask<PrivacyRequestDto> Handle(CompletePrivacyRequest command, CancellationToken cancellationToken)
    {
        var request = await db.GetPrivacyRequestAsync(command.RequestId, cancellationToken);
        if (!request.IsOpen)
            throw new ConflictException("privacy.status", $"This request is {request.Status} already.");
        var outcome = request.ContactId is { } contactId
            ? await ApplyAsync(request, contactId, command.Note, cancellationToken)
            : command.Note ?? "Answered for the member's own account.";
        if (request.IsOpen)
            request.Complete(outcome, user.UserId, clock);
        audit.Record($"privacy.request_{request.Status.ToString().ToLowerInvariant()}", request.Id.ToString(), request.Type.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return request.ToDto(clock.GetUtcNow());
    }

    private async Task<string> ApplyAsync(PrivacyRequest request, Guid contactId, string? note, CancellationToken cancellationToken)
    {
        if (request.Type == PrivacyRequestType.Erasure)
            return await EraseAsync(request, contactId, cancellationToken);

        var contact = await db.GetContactAsync(contactId, cancellationToken);
        switch (request.Type)
        {
            case PrivacyRequestType.Restriction:
            case PrivacyRequestType.Objection when request.Purpose == PrivacyPurpose.Automation:
                contact.RestrictProcessing(true, clock);
                return request.Type == PrivacyRequestType.Restriction
                    ? "Processing restricted: the data is kept but no longer used; automation stopped and hands over to a person."
                    : "Objection to automation upheld: no automated flow runs for this person any more.";
            case PrivacyRequestType.Objection when request.Purpose == PrivacyPurpose.Marketing:
            case PrivacyRequestType.ConsentWithdrawal when request.Purpose == PrivacyPurpose.Marketing:
                contact.RecordConsent(false, "marketing", request.Type == PrivacyRequestType.Objection ? "objection" : "consent withdrawn",
                    "privacy request", user.UserId, clock);
                return "Marketing consent withdrawn: no promotional message is sent to this person any more.";
            case PrivacyRequestType.Objection:
            case PrivacyRequestType.ConsentWithdrawal:
                db.ContactNotes.Add(ContactNote.Record(contactId, ContactNoteKind.Consent, user.UserId,
                    $"{request.Type} for {request.Purpose}: recorded by privacy request {request.Id}.", clock));
                return $"{request.Type} for {request.Purpose} recorded.";
            case PrivacyRequestType.Correction:
                var old = Correct(contact, request.CorrectionField!, request.CorrectionValue!);
                db.ContactNotes.Add(ContactNote.Record(contactId, ContactNoteKind.Note, user.UserId,
                    $"Corrected {request.CorrectionField} by privacy request: was \"{old}\", now \"{request.CorrectionValue}\".", clock));
                return $"{request.CorrectionField} corrected.";
            default:
                return await HandOverAsync(request, contactId, note, cancellationToken);
        }
    }

    /// <summary>Access and portability: with a ready export, the person is told over their channel that their data is ready.</summary>
    private async Task<string> HandOverAsync(PrivacyRequest request, Guid contactId, string? note, CancellationToken cancellationToken)
    {
        var ready = await db.PrivacyExports.AnyAsync(e => e.RequestId == request.Id && e.Status == PrivacyExportStatus.Ready, cancellationToken);
        if (!ready)
            return note ?? "The data was handed over to the person.";
        var told = await erasure.QueueNoticeAsync(contactId, ExportReadyNotice, cancellationToken);
        return (note ?? "The export was handed over to the person.") + (told ? " They were told over their channel that it is ready." : string.Empty);
    }

    public const string ExportReadyNotice = "The copy of your data you asked for is ready. We will hand it over to you in the way you asked for it.";

    private async Task<string> EraseAsync(PrivacyRequest request, Guid contactId, CancellationToken cancellationToken)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId, cancellationToken))
        {
            request.ForgetSubject(PrivacyRequests.SubjectHash(request.SubjectSalt, [contactId.ToString()]), clock);
            return "Nothing was left to erase.";
        }
        var holds = await db.ActiveForContactAsync(contactId, cancellationToken);
        if (holds.Count > 0)
        {
            var reason = $"Your data is under a legal hold and cannot be deleted yet: {holds[0].Reason}";
            await erasure.QueueNoticeAsync(contactId, reason, cancellationToken);
            request.Refuse(reason, LegalHoldBasis, user.UserId, clock);
            return reason;
        }
        var identities = await erasure.IdentitiesAsync(contactId, cancellationToken);
        var settings = await db.GetPrivacySettingsAsync(cancellationToken);
        var confirmed = await erasure.QueueNoticeAsync(contactId, settings.ErasureConfirmation, cancellationToken);
        var report = await erasure.EraseAsync(contactId, $"privacy request {request.Id}", cancellationToken);
        request.ForgetSubject(PrivacyRequests.SubjectHash(request.SubjectSalt, identities), clock);
        return $"Erased: {report.Messages} messages in {report.Conversations} conversations, {report.Files} files; the data key was destroyed."
               + (confirmed ? " The confirmation was sent over the person's channel." : " The person has no channel to confirm over.");
    }

    private string Correct(Contact contact, string field, string value)
    {
        switch (field)
        {
            case "displayName":
                var name = contact.DisplayName;
                contact.Rename(value, clock);
                return name;
            case "company":
                var company = contact.Company ?? string.Empty;
                contact.SetCompany(value, clock);
                return company;
            case "locale":
                var locale = contact.Locale ?? string.Empty;
                contact.SetLocale(value, clock);
                return locale;
            case "phoneNumbers":
                var phones = string.Join(", ", contact.PhoneNumbers);
                contact.SetPhoneNumbers(Split(value), clock);
                return phones;
            case "emails":
                var emails = string.Join(", ", contact.Emails);
                contact.SetEmails(Split(value), clock);
                return emails;
            default:
                throw new DomainExceptionFor(field);
        }
    }

    private static IEnumerable<string> Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class DomainExceptionFor(string field) : Domain.Common.DomainException("privacy.correction", $"'{field}' cannot be corrected this way.");
}
