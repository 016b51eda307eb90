using OneInbox.Domain.Common;

namespace OneInbox.Domain.Contacts.Events;

public sealed record ContactCreated(Guid ContactId) : IDomainEvent;

public sealed record ContactUpdated(Guid ContactId) : IDomainEvent;
