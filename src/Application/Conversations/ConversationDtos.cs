using OneInbox.Application.Attachments;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;

namespace OneInbox.Application.Conversations;

/// <param name="ReplyWindowEndsAt">Until when free-form replies are allowed on channels with a reply window (WhatsApp: 24 hours after the customer last wrote); after it, only a template. Null on channels without one.</param>
public sealed record ConversationDto(
    Guid Id,
    Guid ContactId,
    string ContactName,
    Guid ConnectionId,
    ChannelType Channel,
    ConversationStatus Status,
    DateTimeOffset? SnoozedUntil,
    ConversationPriority Priority,
    Guid? AssigneeId,
    Guid? TeamId,
    IReadOnlyList<string> Labels,
    DateTimeOffset? WaitingSince,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    HandOffView? HandOff,
    int UnreadCount,
    DateTimeOffset? ReplyWindowEndsAt,
    int? Rating = null) : IAboutContact;

/// <summary>Automation handed the conversation to people: why, and what the bot collected.</summary>
public sealed record HandOffView(string? Reason, string? Summary, DateTimeOffset At);

/// <param name="ReplyToMessageId">The message of the conversation this one answers, when the channel said so.</param>
/// <param name="CustomerReaction">The customer's emoji reaction to this message, if any.</param>
public sealed record MessageDto(
    Guid Id,
    Guid ConversationId,
    MessageDirection Direction,
    MessageKind Kind,
    string? Text,
    bool IsPrivate,
    IReadOnlyList<AttachmentDto> Attachments,
    MessageLocation? Location,
    string? ButtonPayload,
    DeliveryStatus Status,
    string? FailureReason,
    MessageAuthorType AuthorType,
    Guid? AuthorUserId,
    string? FlowRef,
    DateTimeOffset SentAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    Guid? ReplyToMessageId,
    string? CustomerReaction);
