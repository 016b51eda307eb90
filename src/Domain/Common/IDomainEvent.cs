using Mediator;

namespace OneInbox.Domain.Common;

/// <summary>Something that happened in the domain; dispatched inside the transaction that records it.</summary>
public interface IDomainEvent : INotification;
