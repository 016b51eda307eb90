using OneInbox.Domain.Common;

namespace OneInbox.Domain.Privacy;

/// <summary>A privacy request is this many days from its due date (7, then 1) and still open.</summary>
public sealed record PrivacyDeadlineNear(Guid RequestId, PrivacyRequestType Type, int DaysBefore, DateTimeOffset DueAt) : IDomainEvent;
