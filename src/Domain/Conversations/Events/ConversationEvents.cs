using OneInbox.Domain.Common;

namespace OneInbox.Domain.Conversations.Events;

public sealed record ConversationCreated(Guid ConversationId, Guid ContactId, Guid ConnectionId) : IDomainEvent;

/// <param name="Change">What changed: status, assignee, team, priority, labels, reopened.</param>
public sealed record ConversationUpdated(Guid ConversationId, string Change) : IDomainEvent;

public sealed record ConversationResolved(Guid ConversationId, DateTimeOffset ResolvedAt) : IDomainEvent;

public sealed record ConversationAssigned(Guid ConversationId, Guid? AssigneeId, Guid? TeamId) : IDomainEvent;

/// <summary>A customer's message arrived; the automation engine starts or resumes flows on it.</summary>
public sealed record MessageReceived(Guid ConversationId, Guid MessageId, Guid ContactId) : IDomainEvent;

/// <summary>Any message was added to a conversation: inbound, reply, note or automation.</summary>
public sealed record MessageCreated(Guid ConversationId, Guid MessageId) : IDomainEvent;

/// <summary>A message's text (customer edit) or delivery status changed.</summary>
public sealed record MessageUpdated(Guid ConversationId, Guid MessageId) : IDomainEvent;

/// <summary>Automation handed the conversation to people; the bot stays silent until it is released.</summary>
public sealed record ConversationHandedOff(Guid ConversationId, string Reason) : IDomainEvent;

/// <summary>An agent released a handed-off conversation back to automation.</summary>
public sealed record ConversationReleased(Guid ConversationId) : IDomainEvent;

/// <summary>
/// A member read the conversation up to now, so it has nothing unread for them. Read state is per member: only
/// that member's own clients care.
/// </summary>
public sealed record ConversationRead(Guid ConversationId, Guid UserId) : IDomainEvent;
