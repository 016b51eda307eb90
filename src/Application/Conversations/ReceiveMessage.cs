using Mediator;
using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Conversations;

/// <summary>
/// A customer's message arrives from a channel: upsert the contact by channel identity, find or open the
/// conversation, append the message. Idempotent on (connection, provider message id).
/// </summary>
public sealed record ReceiveMessage(Guid ConnectionId, ChannelType Channel, InboundMessage Message) : ICommand<ReceivedMessage>;

/// <param name="Duplicate">True when the provider message id was already received; nothing changed.</param>
public sealed record ReceivedMessage(Guid ContactId, Guid ConversationId, Guid MessageId, bool Duplicate);
