using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Identity;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>
/// Opens a case. The subject is found by contact id, by a channel account (channel + external id), by phone or
/// by email; or, with <c>OwnAccount</c>, it is the calling member's own account.
/// </summary>
public sealed record CreatePrivacyRequest(
    PrivacyRequestType Type,
    PrivacyRequestChannel Channel,
    PrivacyPurpose? Purpose = null,
    Guid? ContactId = null,
    ChannelType? IdentityChannel = null,
    string? ExternalId = null,
    string? Phone = null,
    string? Email = null,
    bool OwnAccount = false,
    string? CorrectionField = null,
    string? CorrectionValue = null) : ICommand<PrivacyRequestDto>;

public sealed class CreatePrivacyRequestValidator : AbstractValidator<CreatePrivacyRequest>
{
    public static readonly string[] CorrectableFields = ["displayName", "company", "locale", "phoneNumbers", "emails"];

    public CreatePrivacyRequestValidator()
    {
        RuleFor(c => c.Type).IsInEnum();
        RuleFor(c => c.Channel).IsInEnum();
        RuleFor(c => c.Purpose).NotNull().When(c => c.Type is PrivacyRequestType.Objection or PrivacyRequestType.ConsentWithdrawal)
            .WithMessage("An objection or a consent withdrawal names its purpose: automation, marketing or analytics.");
        RuleFor(c => c.CorrectionField).NotEmpty().Must(f => CorrectableFields.Contains(f)).When(c => c.Type == PrivacyRequestType.Correction)
            .WithMessage($"A correction names one of the fields {string.Join(", ", CorrectableFields)}.");
        RuleFor(c => c.CorrectionValue).NotNull().MaximumLength(PrivacyRequest.MaxTextLength).When(c => c.Type == PrivacyRequestType.Correction);
        RuleFor(c => c).Must(c => (c.ContactId is not null ? 1 : 0) + (c.ExternalId is not null ? 1 : 0) + (c.Phone is not null ? 1 : 0)
                                  + (c.Email is not null ? 1 : 0) + (c.OwnAccount ? 1 : 0) == 1)
            .WithName("subject").WithMessage("Name the subject once: contactId, identityChannel + externalId, phone, email, or ownAccount.");
        RuleFor(c => c.IdentityChannel).NotNull().When(c => c.ExternalId is not null).WithMessage("A channel account needs its channel.");
    }
}

public sealed class CreatePrivacyRequestHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<CreatePrivacyRequest, PrivacyRequestDto>
{
    public async ValueTask<PrivacyRequestDto> Handle(CreatePrivacyRequest command, CancellationToken cancellationToken)
    {
        Guid? contactId = null;
        Guid? memberUserId = null;
        if (command.OwnAccount)
            memberUserId = user.UserId ?? throw new ForbiddenException("Only a signed-in member asks about their own account.");
        else
            contactId = await FindSubjectAsync(command, cancellationToken);

        var settings = await db.GetPrivacySettingsAsync(cancellationToken);
        var request = PrivacyRequest.Receive(command.Type, command.Purpose, command.Channel, contactId, memberUserId,
            command.CorrectionField, command.CorrectionValue, settings.ResponseDays, user.UserId, clock);
        db.PrivacyRequests.Add(request);
        audit.Record("privacy.request_received", request.Id.ToString(), $"{command.Type} by {command.Channel}");
        await db.SaveChangesAsync(cancellationToken);
        return request.ToDto(clock.GetUtcNow());
    }

    private async Task<Guid> FindSubjectAsync(CreatePrivacyRequest command, CancellationToken cancellationToken)
    {
        Guid? found;
        if (command.ContactId is { } id)
            found = await db.Contacts.Where(c => c.Id == id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        else if (command.ExternalId is { } externalId)
            found = await db.ChannelIdentities.Where(i => i.Channel == command.IdentityChannel && i.ExternalId == externalId.Trim())
                .Select(i => (Guid?)i.ContactId).FirstOrDefaultAsync(cancellationToken);
        else if (command.Phone is { } phone)
            found = await db.Contacts.Where(c => c.PhoneNumbers.Contains(phone.Trim())).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        else
            found = await db.Contacts.Where(c => c.Emails.Contains(command.Email!.Trim().ToLowerInvariant())).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        return found ?? throw new NotFoundException("Contact", "subject");
    }
}
