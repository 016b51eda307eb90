using System.Text.Json;
using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

/// <summary>
/// Partial update: a field left out (null) stays as it is. Lists replace the whole list; an empty text
/// clears company, locale or avatar; an attribute set to null is removed.
/// </summary>
public sealed record UpdateContact(
    Guid ContactId,
    string? DisplayName = null,
    IReadOnlyList<string>? PhoneNumbers = null,
    IReadOnlyList<string>? Emails = null,
    string? Company = null,
    string? Locale = null,
    string? AvatarKey = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, JsonElement>? Attributes = null,
    bool? ProcessingRestricted = null,
    bool? Blocked = null) : ICommand<ContactDto>;

public sealed class UpdateContactValidator : AbstractValidator<UpdateContact>
{
    public UpdateContactValidator()
    {
        RuleFor(c => c.DisplayName!).ValidDisplayName().When(c => c.DisplayName is not null);
        RuleFor(c => c.PhoneNumbers).ValidPhoneNumbers();
        RuleFor(c => c.Emails).ValidEmails();
        RuleFor(c => c.Company).MaximumLength(Contact.MaxCompanyLength);
        RuleFor(c => c.Locale).MaximumLength(Contact.MaxLocaleLength);
        RuleFor(c => c.AvatarKey).MaximumLength(Contact.MaxAvatarKeyLength);
        RuleFor(c => c.Tags).ValidTags();
        RuleFor(c => c.Attributes).Must(a => a is null || a.Count <= Contact.MaxAttributes)
            .WithMessage($"A contact has at most {Contact.MaxAttributes} attributes.");
    }
}

public sealed class UpdateContactHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<UpdateContact, ContactDto>
{
    public async ValueTask<ContactDto> Handle(UpdateContact command, CancellationToken cancellationToken)
    {
        var contact = await db.GetContactAsync(command.ContactId, cancellationToken);
        var attributes = command.Attributes is { Count: > 0 } values
            ? await db.CanonicalAttributesAsync(values, "attributes", cancellationToken)
            : null;

        if (command.DisplayName is { } name)
            contact.Rename(name, clock);
        if (command.PhoneNumbers is { } phones)
            contact.SetPhoneNumbers(phones.Select(ContactRules.NormalizePhone), clock);
        if (command.Emails is { } emails)
            contact.SetEmails(emails, clock);
        if (command.Company is { } company)
            contact.SetCompany(company, clock);
        if (command.Locale is { } locale)
            contact.SetLocale(locale, clock);
        if (command.AvatarKey is { } avatar)
            contact.SetAvatar(avatar, clock);
        if (command.Tags is { } tags)
            contact.SetTags(tags, clock);
        if (attributes is not null)
            contact.SetAttributes(attributes, clock);
        if (command.ProcessingRestricted is { } restricted)
            contact.RestrictProcessing(restricted, clock);
        if (command.Blocked is { } blocked)
            contact.Block(blocked, clock);

        await db.SaveChangesAsync(cancellationToken);
        return contact.ToDto();
    }
}
