using FluentValidation;
using PhoneNumbers;

namespace OneInbox.Application.Contacts;

/// <summary>Input rules shared by the contact use cases; normalisation of numbers to E.164 lives here too.</summary>
public static class ContactRules
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static bool IsPhoneNumber(string? value) => TryNormalizePhone(value, out _);

    public static bool TryNormalizePhone(string? value, out string e164)
    {
        e164 = string.Empty;
        if (string.IsNullOrWhiteSpace(value) || !value.TrimStart().StartsWith('+'))
            return false;
        try
        {
            var parsed = Phones.Parse(value, null);
            if (!Phones.IsValidNumber(parsed))
                return false;
            e164 = Phones.Format(parsed, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    public static string NormalizePhone(string value) =>
        TryNormalizePhone(value, out var e164) ? e164 : throw new ArgumentException("Not a valid phone number.", nameof(value));

    public static IRuleBuilderOptions<T, string> ValidDisplayName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(Domain.Contacts.Contact.MaxDisplayNameLength);

    public static void ValidPhoneNumbers<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        _ = rule.Must(n => n is null || n.Count <= Domain.Contacts.Contact.MaxPhoneNumbers)
            .WithMessage($"A contact has at most {Domain.Contacts.Contact.MaxPhoneNumbers} phone numbers.")
            .ForEach(n => n.Must(IsPhoneNumber).WithMessage("'{PropertyValue}' is not a valid phone number in international form (for example +14155550123)."));

    public static void ValidEmails<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        _ = rule.Must(e => e is null || e.Count <= Domain.Contacts.Contact.MaxEmails)
            .WithMessage($"A contact has at most {Domain.Contacts.Contact.MaxEmails} email addresses.")
            .ForEach(e => e.EmailAddress().WithMessage("'{PropertyValue}' is not a valid email address."));

    public static void ValidTags<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        _ = rule.Must(t => t is null || t.Count <= Domain.Contacts.Contact.MaxTags)
            .WithMessage($"A contact has at most {Domain.Contacts.Contact.MaxTags} tags.")
            .ForEach(t => t.Must(tag => !string.IsNullOrWhiteSpace(tag) && tag.Trim().Length <= Domain.Contacts.Contact.MaxTagLength)
                .WithMessage($"A tag has 1 to {Domain.Contacts.Contact.MaxTagLength} characters."));
}
