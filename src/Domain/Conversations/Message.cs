using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;
using OneInbox.Domain.Conversations.Events;

namespace OneInbox.Domain.Conversations;

/// <summary>
/// One message of a conversation. Messages are created by their conversation (which keeps its timing and
/// status right) but stored and read on their own, so a reply never loads a conversation's history.
/// </summary>
public sealed class Message : TenantEntity
{
    public const int MaxTextLength = 4096;
    public const int MaxAttachments = 10;
    public const int MaxFailureReasonLength = 500;

    private Message(Guid conversationId, Guid connectionId, MessageDirection direction, MessageKind kind,
        string? text, DeliveryStatus status, MessageAuthorType authorType, DateTimeOffset createdAt)
    {
        ConversationId = conversationId;
        ConnectionId = connectionId;
        Direction = direction;
        Kind = kind;
        Text = text;
        Status = status;
        AuthorType = authorType;
        CreatedAt = createdAt;
        SentAt = createdAt;
    }

    public Guid ConversationId { get; private set; }

    public Guid ConnectionId { get; private set; }

    public MessageDirection Direction { get; private set; }

    public MessageKind Kind { get; private set; }

    public string? Text { get; private set; }

    /// <summary>A note agents leave for each other; never sent to the customer.</summary>
    public bool IsPrivate { get; private set; }

    public IReadOnlyList<MessageAttachment> Attachments { get; private set; } = [];

    public MessageLocation? Location { get; private set; }

    /// <summary>The payload of the button a customer pressed (ButtonReply).</summary>
    public string? ButtonPayload { get; private set; }

    /// <summary>The provider's id: unique per connection, which makes receiving and status updates idempotent.</summary>
    public string? ProviderMessageId { get; private set; }

    public DeliveryStatus Status { get; private set; }

    public string? FailureReason { get; private set; }

    public MessageAuthorType AuthorType { get; private set; }

    /// <summary>The agent who wrote it (Agent messages and notes).</summary>
    public Guid? AuthorUserId { get; private set; }

    /// <summary>The flow that wrote it (Automation messages), as the engine names it.</summary>
    public string? FlowRef { get; private set; }

    /// <summary>When the author sent it: the provider's time for inbound messages.</summary>
    public DateTimeOffset SentAt { get; private set; }

    /// <summary>When the inbox recorded it; the order of a conversation's history.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? EditedAt { get; private set; }

    /// <summary>The message of this conversation the customer answered (WhatsApp's context, Discord's reply, Telegram's reply).</summary>
    public Guid? ReplyToMessageId { get; private set; }

    /// <summary>The customer's reaction to this message (an emoji); null when there is none or they took it back.</summary>
    public string? CustomerReaction { get; private set; }

    public DateTimeOffset? StatusChangedAt { get; private set; }

    internal static Message Inbound(Conversation conversation, string providerMessageId, MessageKind kind, string? text,
        IEnumerable<MessageAttachment> attachments, MessageLocation? location, string? buttonPayload, DateTimeOffset sentAt, TimeProvider clock)
    {
        var message = new Message(conversation.Id, conversation.ConnectionId, MessageDirection.Inbound, kind,
            CheckedText(text), DeliveryStatus.Received, MessageAuthorType.Contact, clock.GetUtcNow())
        {
            ProviderMessageId = providerMessageId,
            Location = location,
            ButtonPayload = buttonPayload,
            SentAt = sentAt,
        };
        message.SetAttachments(attachments);
        message.Raise(new MessageCreated(conversation.Id, message.Id));
        return message;
    }

    internal static Message Outbound(Conversation conversation, MessageAuthorType authorType, Guid? authorUserId, string? flowRef,
        MessageKind kind, string? text, IEnumerable<MessageAttachment> attachments, TimeProvider clock)
    {
        var message = new Message(conversation.Id, conversation.ConnectionId, MessageDirection.Outbound, kind,
            CheckedText(text), DeliveryStatus.Queued, authorType, clock.GetUtcNow())
        {
            AuthorUserId = authorUserId,
            FlowRef = flowRef,
        };
        message.SetAttachments(attachments);
        if (message.Text is null && message.Attachments.Count == 0)
            throw new DomainException("message.empty", "A message needs text or an attachment.");
        message.Raise(new MessageCreated(conversation.Id, message.Id));
        return message;
    }

    internal static Message Note(Conversation conversation, Guid? authorUserId, string text, TimeProvider clock)
    {
        var message = new Message(conversation.Id, conversation.ConnectionId, MessageDirection.Outbound, MessageKind.Text,
            CheckedText(text) ?? throw new DomainException("message.empty", "A note needs text."), DeliveryStatus.Internal, MessageAuthorType.Agent, clock.GetUtcNow())
        {
            AuthorUserId = authorUserId,
            IsPrivate = true,
        };
        message.Raise(new MessageCreated(conversation.Id, message.Id));
        return message;
    }

    /// <summary>A system line in the history (status change, assignment), kept for the timeline.</summary>
    internal static Message SystemEvent(Conversation conversation, Guid? actorUserId, string text, TimeProvider clock) =>
        new(conversation.Id, conversation.ConnectionId, MessageDirection.Outbound, MessageKind.SystemEvent,
            CheckedText(text), DeliveryStatus.Internal, MessageAuthorType.System, clock.GetUtcNow())
        {
            AuthorUserId = actorUserId,
            IsPrivate = true,
        };

    /// <summary>Ties a customer's message to the one it answers, when that one is known here.</summary>
    public void Answers(Message original)
    {
        if (original.ConversationId == ConversationId && original.Id != Id)
            ReplyToMessageId = original.Id;
    }

    /// <summary>The customer reacted to this message (an empty emoji takes the reaction back). Returns whether it changed.</summary>
    public bool React(string? emoji)
    {
        var reaction = string.IsNullOrWhiteSpace(emoji) ? null : emoji.Trim();
        if (reaction is { Length: > 32 })
            throw new DomainException("message.reaction", "A reaction is one emoji.");
        if (reaction == CustomerReaction)
            return false;
        CustomerReaction = reaction;
        Raise(new MessageUpdated(ConversationId, Id));
        return true;
    }

    /// <summary>The customer edited the message on the channel. Returns false when the text was already this.</summary>
    public bool Edit(string? text, TimeProvider clock)
    {
        if (Direction != MessageDirection.Inbound)
            throw new DomainException("message.notInbound", "Only a customer's message can be edited by the customer.");
        var checkedText = CheckedText(text);
        if (checkedText == Text)
            return false;
        Text = checkedText;
        EditedAt = clock.GetUtcNow();
        Raise(new MessageUpdated(ConversationId, Id));
        return true;
    }

    /// <summary>
    /// A delivery report. Providers report out of order (read before delivered) and repeat themselves, so
    /// the status only moves forward and a repeat changes nothing. Returns whether it changed.
    /// </summary>
    public bool RecordDelivery(DeliveryStatus status, string? providerMessageId, string? failureReason, TimeProvider clock)
    {
        if (Direction != MessageDirection.Outbound || IsPrivate)
            throw new DomainException("message.notDeliverable", "Only a message sent to the customer has a delivery status.");
        if (status is DeliveryStatus.Received or DeliveryStatus.Internal or DeliveryStatus.Queued)
            throw new DomainException("message.deliveryStatus", $"'{status}' is not a delivery report.");
        if (Status == DeliveryStatus.Failed || (status != DeliveryStatus.Failed && status <= Status))
            return false;
        if (status == DeliveryStatus.Failed && Status is DeliveryStatus.Delivered or DeliveryStatus.Read)
            return false;

        Status = status;
        ProviderMessageId ??= providerMessageId;
        FailureReason = status == DeliveryStatus.Failed ? Truncate(failureReason ?? "unknown") : null;
        StatusChangedAt = clock.GetUtcNow();
        Raise(new MessageUpdated(ConversationId, Id));
        return true;
    }

    private void SetAttachments(IEnumerable<MessageAttachment> attachments)
    {
        var list = attachments.ToList();
        if (list.Count > MaxAttachments)
            throw new DomainException("message.attachments", $"A message has at most {MaxAttachments} attachments.");
        Attachments = list.AsReadOnly();
    }

    private static string? CheckedText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (text.Length > MaxTextLength)
            throw new DomainException("message.text", $"A message has at most {MaxTextLength} characters.");
        return text;
    }

    private static string Truncate(string reason) => reason.Length <= MaxFailureReasonLength ? reason : reason[..MaxFailureReasonLength];
}

public sealed record MessageLocation(double Latitude, double Longitude, string? Name, string? Address);
