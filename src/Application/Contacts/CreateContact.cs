using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Contacts;

public sealed record CreateContact(string DisplayName, IReadOnlyList<string>? PhoneNumbers, IReadOnlyList<string>? Emails)
    : ICommand<ContactDto>;

public sealed class CreateContactValidator : AbstractValidator<CreateContact>
{
    public CreateContactValidator()
    {
        RuleFor(c => c.DisplayName).ValidDisplayName();
        RuleFor(c => c.PhoneNumbers).ValidPhoneNumbers();
        RuleFor(c => c.Emails).ValidEmails();
    }
}

public sealed class CreateContactHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<CreateContact, ContactDto>
{
    public async ValueTask<ContactDto> Handle(CreateContact command, CancellationToken cancellationToken)
    {
        var contact = Contact.Create(
            command.DisplayName,
            (command.PhoneNumbers ?? []).Select(ContactRules.NormalizePhone),
            command.Emails ?? [],
            clock);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(cancellationToken);
        return contact.ToDto();
    }
}
