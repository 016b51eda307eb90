namespace OneInbox.Application.Contacts;

public sealed record ContactDto(
    Guid Id,
    string DisplayName,
    IReadOnlyList<string> PhoneNumbers,
    IReadOnlyList<string> Emails,
    string? Company,
    string? Locale,
    string? AvatarKey,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Attributes,
    bool MarketingConsent,
    bool ProcessingRestricted,
    bool Blocked,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
