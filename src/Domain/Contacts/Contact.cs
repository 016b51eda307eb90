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

    public const int MaxTags = 50;
    public const int MaxTagLength = 50;
    public const int MaxAttributes = 50;
    public const int MaxCompanyLength = 200;
    public const int MaxLocaleLength = 35;
    public const int MaxAvatarKeyLength = 300;
    public const int MaxConsentTextLength = 200;

    private List<string> _phoneNumbers = [];
    private List<string> _emails = [];
    private List<string> _tags = [];
    private List<string> _attributeIndex = [];

    private Contact(string displayName, DateTimeOffset createdAt)
    {
        DisplayName = displayName;
        NameKey = KeyOf(displayName);
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public string DisplayName { get; private set; }

    /// <summary>
    /// The name as search and name order compare it (lower-cased, invariant), kept beside the name so a prefix
    /// search and its ordering are one range of one index with byte-order collation on every provider.
    /// </summary>
    public string NameKey { get; private set; }

    public static string KeyOf(string displayName) => displayName.ToLowerInvariant();

    /// <summary>Phone numbers in E.164 form (normalised before they reach the aggregate).</summary>
    public IReadOnlyList<string> PhoneNumbers => _phoneNumbers;

    /// <summary>Email addresses, lower-cased.</summary>
    public IReadOnlyList<string> Emails => _emails;

    public string? Company { get; private set; }

    /// <summary>BCP 47 language tag the customer writes in (from the channel, or set by an agent).</summary>
    public string? Locale { get; private set; }

    /// <summary>Storage key of the avatar picture in the attachment store.</summary>
    public string? AvatarKey { get; private set; }

    /// <summary>Free tags, lower-cased.</summary>
    public IReadOnlyList<string> Tags => _tags;

    /// <summary>Custom attribute values by key, in canonical text form (checked against the workspace's definitions).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; private set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The same values as "key=value" entries: what list filters match, as a plain string list both
    /// database providers can search, while Attributes is what clients read.
    /// </summary>
    public IReadOnlyList<string> AttributeIndex => _attributeIndex;

    /// <summary>Whether the contact currently agrees to marketing messages; the history says who recorded what and why.</summary>
    public bool MarketingConsent { get; private set; }

    public IReadOnlyList<ConsentRecord> ConsentHistory { get; private set; } = [];

    /// <summary>Processing is restricted (GDPR art. 18): keep the data, do not use it for anything but storage.</summary>
    public bool ProcessingRestricted { get; private set; }

    /// <summary>Blocked: messages from this contact are not answered by automation nor shown as new work.</summary>
    public bool Blocked { get; private set; }

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
        NameKey = KeyOf(DisplayName);
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

    public void SetCompany(string? company, TimeProvider clock)
    {
        Company = Optional(company, MaxCompanyLength, "contact.company", "A company name");
        Touch(clock);
    }

    public void SetLocale(string? locale, TimeProvider clock)
    {
        Locale = Optional(locale, MaxLocaleLength, "contact.locale", "A locale");
        Touch(clock);
    }

    public void SetAvatar(string? avatarKey, TimeProvider clock)
    {
        AvatarKey = Optional(avatarKey, MaxAvatarKeyLength, "contact.avatar", "An avatar key");
        Touch(clock);
    }

    public void SetTags(IEnumerable<string> tags, TimeProvider clock)
    {
        var list = tags.Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Count > MaxTags)
            throw new DomainException("contact.tags", $"A contact has at most {MaxTags} tags.");
        if (list.FirstOrDefault(t => t.Length is 0 or > MaxTagLength) is { } bad)
            throw new DomainException("contact.tags", $"'{bad}' is not a tag: tags have 1 to {MaxTagLength} characters.");
        _tags = list;
        Touch(clock);
    }

    /// <summary>
    /// Sets or removes attribute values (a null value removes the key). Values arrive checked against
    /// their definitions by the caller, which holds the workspace's definitions.
    /// </summary>
    public void SetAttributes(IEnumerable<KeyValuePair<string, string?>> changes, TimeProvider clock)
    {
        var attributes = new SortedDictionary<string, string>(Attributes.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is null)
                attributes.Remove(key);
            else
                attributes[key] = value;
        }
        if (attributes.Count > MaxAttributes)
            throw new DomainException("contact.attributes", $"A contact has at most {MaxAttributes} attributes.");
        ReplaceAttributes(attributes);
        Touch(clock);
    }

    /// <summary>Records a consent decision; the latest decision is the current consent.</summary>
    public ConsentRecord RecordConsent(bool granted, string purpose, string legalBasis, string source, Guid? recordedBy, TimeProvider clock)
    {
        var record = new ConsentRecord(
            granted,
            Required(purpose, "purpose"),
            Required(legalBasis, "legal basis"),
            Required(source, "source"),
            recordedBy,
            clock.GetUtcNow());
        ConsentHistory = [.. ConsentHistory, record];
        MarketingConsent = granted;
        Touch(clock);
        return record;
    }

    public void RestrictProcessing(bool restricted, TimeProvider clock)
    {
        ProcessingRestricted = restricted;
        Touch(clock);
    }

    public void Block(bool blocked, TimeProvider clock)
    {
        Blocked = blocked;
        Touch(clock);
    }

    /// <summary>
    /// Takes over what a duplicate contact knew: numbers, addresses, tags, attributes this contact lacks and
    /// the consent history (the latest decision of either wins). The survivor's own values win on conflict.
    /// </summary>
    public void Absorb(Contact duplicate, TimeProvider clock)
    {
        if (duplicate.Id == Id)
            throw new DomainException("contact.mergeSelf", "A contact cannot be merged with itself.");
        if (duplicate.WorkspaceId != WorkspaceId)
            throw new DomainException("contact.mergeWorkspace", "Contacts of different workspaces cannot be merged.");

        ReplacePhoneNumbers(_phoneNumbers.Concat(duplicate._phoneNumbers).Distinct(StringComparer.Ordinal).Take(MaxPhoneNumbers));
        ReplaceEmails(_emails.Concat(duplicate._emails).Distinct(StringComparer.Ordinal).Take(MaxEmails));
        _tags = _tags.Concat(duplicate._tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxTags).ToList();
        var attributes = new SortedDictionary<string, string>(Attributes.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in duplicate.Attributes)
            attributes.TryAdd(key, value);
        ReplaceAttributes(attributes);
        Company ??= duplicate.Company;
        Locale ??= duplicate.Locale;
        AvatarKey ??= duplicate.AvatarKey;
        ConsentHistory = [.. ConsentHistory.Concat(duplicate.ConsentHistory).OrderBy(c => c.RecordedAt)];
        if (ConsentHistory.Count > 0)
            MarketingConsent = ConsentHistory[^1].Granted;
        ProcessingRestricted |= duplicate.ProcessingRestricted;
        Blocked |= duplicate.Blocked;
        Raise(new ContactsMerged(Id, duplicate.Id));
        Touch(clock);
    }

    /// <summary>Announces the deletion, so that subscribers (real-time, automation) learn of it.</summary>
    public void MarkDeleted() => Raise(new ContactDeleted(Id));

    public static string AttributeEntry(string key, string value) => $"{key}={value}";

    private void ReplaceAttributes(SortedDictionary<string, string> attributes)
    {
        Attributes = attributes;
        _attributeIndex = attributes.Select(a => AttributeEntry(a.Key, a.Value)).ToList();
    }

    private static string? Optional(string? value, int maxLength, string code, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException(code, $"{what} has at most {maxLength} characters.");
        return trimmed;
    }

    private static string Required(string value, string what)
    {
        var trimmed = value.Trim();
        if (trimmed.Length is 0 or > MaxConsentTextLength)
            throw new DomainException("contact.consent", $"A consent record's {what} has 1 to {MaxConsentTextLength} characters.");
        return trimmed;
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

/// <summary>One consent decision: what for, on which legal basis, where it was given, when and by whom recorded.</summary>
public sealed record ConsentRecord(bool Granted, string Purpose, string LegalBasis, string Source, Guid? RecordedBy, DateTimeOffset RecordedAt);
