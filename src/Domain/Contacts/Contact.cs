using System.Text.RegularExpressions;
using OneInbox.Domain.Common;
using OneInbox.Domain.Contacts.Events;

namespace OneInbox.Domain.Contacts;

/// <summary>A customer of the workspace, on whatever channels they write from.</summary>
public sealed partial class Contact : TenantEntity
{
    public const int MaxDisplayNameLength = 200;
    public const int MaxPhoneNumbers = 10;
    public const int MaxEmails = 10;

    private List<string> _phoneNumbers = [];
    private List<string> _emails = [];

    private Contact(string displayName, DateTimeOffset createdAt)
    {
        DisplayName = displayName;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public string DisplayName { get; private set; }

    /// <summary>Phone numbers in E.164 form (normalised before they reach the aggregate).</summary>
    public IReadOnlyList<string> PhoneNumbers => _phoneNumbers;

    /// <summary>Email addresses, lower-cased.</summary>
    public IReadOnlyList<string> Emails => _emails;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Contact Create(string displayName, IEnumerable<string> phoneNumbers, IEnumerable<string> emails, TimeProvider clock)
    {
        var contact = new Contact(CheckedName(displayName), clock.GetUtcNow());
        contact.ReplacePhoneNumbers(phoneNumbers);
        contact.ReplaceEmails(emails);
        contact.Raise(new ContactCreated(contact.Id));
        return contact;
    }

    public void Rename(string displayName, TimeProvider clock)
    {
        DisplayName = CheckedName(displayName);
        Touch(clock);
    }

    public void SetPhoneNumbers(IEnumerable<string> phoneNumbers, TimeProvider clock)
    {
        ReplacePhoneNumbers(phoneNumbers);
        Touch(clock);
    }

    public void SetEmails(IEnumerable<string> emails, TimeProvider clock)
    {
        ReplaceEmails(emails);
        Touch(clock);
    }

    private void Touch(TimeProvider clock)
    {
        UpdatedAt = clock.GetUtcNow();
        Raise(new ContactUpdated(Id));
    }

    private void ReplacePhoneNumbers(IEnumerable<string> phoneNumbers)
    {
        var numbers = phoneNumbers.Distinct(StringComparer.Ordinal).ToList();
        if (numbers.Count > MaxPhoneNumbers)
            throw new DomainException("contact.phoneNumbers", $"A contact has at most {MaxPhoneNumbers} phone numbers.");
        if (numbers.FirstOrDefault(n => !E164().IsMatch(n)) is { } bad)
            throw new DomainException("contact.phoneNumbers", $"'{bad}' is not a phone number in E.164 form.");
        _phoneNumbers = numbers;
    }

    private void ReplaceEmails(IEnumerable<string> emails)
    {
        var addresses = emails.Select(e => e.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (addresses.Count > MaxEmails)
            throw new DomainException("contact.emails", $"A contact has at most {MaxEmails} email addresses.");
        if (addresses.FirstOrDefault(e => !Email().IsMatch(e)) is { } bad)
            throw new DomainException("contact.emails", $"'{bad}' is not an email address.");
        _emails = addresses;
    }

    private static string CheckedName(string displayName)
    {
        var trimmed = displayName.Trim();
        if (trimmed.Length is 0 or > MaxDisplayNameLength)
            throw new DomainException("contact.displayName", $"A display name has 1 to {MaxDisplayNameLength} characters.");
        return trimmed;
    }

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
