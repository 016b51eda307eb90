using OneInbox.Domain.Common;

namespace OneInbox.Domain.Identity.Events;

public sealed record MemberAvailabilityChanged(Guid UserId, MemberAvailability Availability) : IDomainEvent;
