namespace OneInbox.IntegrationTests.Inbox;

public sealed record ConversationView(
    Guid Id, Guid ContactId, string ContactName, Guid ConnectionId, string Channel, string Status, DateTimeOffset? SnoozedUntil,
    string Priority, Guid? AssigneeId, Guid? TeamId, string[] Labels, DateTimeOffset? WaitingSince, DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt, DateTimeOffset LastActivityAt);

public sealed record MessageView(
    Guid Id, Guid ConversationId, string Direction, string Kind, string? Text, bool IsPrivate, string Status, string AuthorType,
    Guid? AuthorUserId, DateTimeOffset CreatedAt);

public sealed record ReplyView(MessageView Message, bool Reopened);

public sealed record Page<T>(T[] Items, string? NextCursor);

public sealed record ContactView(
    Guid Id, string DisplayName, string[] PhoneNumbers, string[] Emails, string? Company, string[] Tags,
    Dictionary<string, string> Attributes, bool MarketingConsent, bool Blocked);

public sealed record TimelineView(Guid Id, string Type, Guid? ConversationId, string? Channel, string? Text, DateTimeOffset CreatedAt);
