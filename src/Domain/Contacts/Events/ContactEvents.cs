using OneInbox.Domain.Common;

namespace OneInbox.Domain.Contacts.Events;

public sealed record ContactCreated(Guid ContactId) : IDomainEvent;

public sealed record ContactUpdated(Guid ContactId) : IDomainEvent;

public sealed record ContactDeleted(Guid ContactId) : IDomainEvent;

/// <summary>Another contact was merged into this one; the duplicate no longer exists.</summary>
public sealed record ContactsMerged(Guid SurvivorId, Guid DuplicateId) : IDomainEvent;
