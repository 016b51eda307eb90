namespace OneInbox.Application.Contacts;

public sealed record ContactDto(
    Guid Id,
    string DisplayName,
    IReadOnlyList<string> PhoneNumbers,
    IReadOnlyList<string> Emails,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
