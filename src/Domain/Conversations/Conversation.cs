using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;
using OneInbox.Domain.Conversations.Events;

namespace OneInbox.Domain.Conversations;

/// <summary>
/// The exchange with one contact on one channel connection. At most one is unresolved per contact and
/// connection; once resolved, the next customer message opens a new one.
/// </summary>
public sealed class Conversation : TenantEntity
{
    public const int MaxLabels = 20;
    public const int MaxLabelLength = 50;
    public const int MaxConversationKeyLength = 200;
    public const int MaxHandOffReasonLength = 500;
    public const int MaxHandOffSummaryLength = 2000;

    private List<string> _labels = [];

    private Conversation(Guid contactId, Guid connectionId, ChannelType channel, string conversationKey, DateTimeOffset createdAt)
    {
        ContactId = contactId;
        ConnectionId = connectionId;
        Channel = channel;
        ConversationKey = conversationKey;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        LastActivityAt = createdAt;
    }

    public Guid ContactId { get; private set; }

    public Guid ConnectionId { get; private set; }

    public ChannelType Channel { get; private set; }

    /// <summary>Where replies go on the channel (Telegram chat id, WhatsApp wa_id, Discord channel id).</summary>
    public string ConversationKey { get; private set; }

    public ConversationStatus Status { get; private set; } = ConversationStatus.Open;

    public DateTimeOffset? SnoozedUntil { get; private set; }

    public ConversationPriority Priority { get; private set; }

    /// <summary>The member (user id) working it.</summary>
    public Guid? AssigneeId { get; private set; }

    public Guid? TeamId { get; private set; }

    /// <summary>When the current assignee got it; round-robin routing picks the member waiting longest for one.</summary>
    public DateTimeOffset? AssignedAt { get; private set; }

    /// <summary>Why automation handed the conversation to people; while set, no flow answers the customer.</summary>
    public string? HandOffReason { get; private set; }

    /// <summary>What the bot collected before handing off, for the agent taking over.</summary>
    public string? HandOffSummary { get; private set; }

    public DateTimeOffset? HandedOffAt { get; private set; }

    public bool IsHandedOff => HandedOffAt is not null;

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Since when the customer waits for an answer; null when the business spoke last.</summary>
    public DateTimeOffset? WaitingSince { get; private set; }

    /// <summary>When the business first answered (agent or automation); feeds first-response reports.</summary>
    public DateTimeOffset? FirstResponseAt { get; private set; }

    /// <summary>How long a customer's answer to a rating question still comes back to this (resolved) conversation.</summary>
    public static readonly TimeSpan RatingWindow = TimeSpan.FromDays(1);

    /// <summary>When a flow last asked the customer to rate the conversation (and waits for the answer); null otherwise.</summary>
    public DateTimeOffset? RatingAskedAt { get; private set; }

    /// <summary>The customer's satisfaction rating, 1 (poor) to 5 (excellent); the latest when asked again.</summary>
    public int? Rating { get; private set; }

    public DateTimeOffset? RatedAt { get; private set; }

    /// <summary>
    /// Until when free-form replies are allowed, on channels with a reply window (WhatsApp's 24 hours from the
    /// customer's last message); null where the channel has no window, or the customer has not written here yet.
    /// </summary>
    public DateTimeOffset? ReplyWindowEndsAt { get; private set; }

    /// <summary>
    /// The provider's id of the customer's latest message that no reply has answered yet: the next reply tells the
    /// chat app it was read (WhatsApp's blue ticks). Null once the business has answered.
    /// </summary>
    public string? UnreadCustomerMessageId { get; private set; }

    /// <summary>When it was last resolved; feeds resolution-time reports.</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>When the last message was added; the inbox's order.</summary>
    public DateTimeOffset LastActivityAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Conversation Open(Guid contactId, Guid connectionId, ChannelType channel, string conversationKey, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(conversationKey) || conversationKey.Length > MaxConversationKeyLength)
            throw new DomainException("conversation.key", $"A conversation key has 1 to {MaxConversationKeyLength} characters.");
        var conversation = new Conversation(contactId, connectionId, channel, conversationKey, clock.GetUtcNow());
        conversation.Raise(new ConversationCreated(conversation.Id, contactId, connectionId));
        return conversation;
    }

    /// <summary>
    /// The customer wrote. A pending or snoozed conversation comes back to the agents' attention; the
    /// wait is counted from the first unanswered message.
    /// </summary>
    /// <param name="replyWindow">The channel's reply window: the customer's message opens it again from when they sent it.</param>
    public Message Receive(string providerMessageId, MessageKind kind, string? text, IEnumerable<MessageAttachment> attachments,
        MessageLocation? location, string? buttonPayload, DateTimeOffset sentAt, TimeProvider clock, TimeSpan? replyWindow = null)
    {
        var now = clock.GetUtcNow();
        // An answer to a rating question comes back to the resolved conversation that asked, without reopening it.
        var answersRating = Status == ConversationStatus.Resolved && AwaitsRating(now);
        if (!answersRating)
            EnsureNotResolved();
        var message = Message.Inbound(this, providerMessageId, kind, text, attachments, location, buttonPayload, sentAt, clock);
        if (replyWindow is { } window)
        {
            // A delivery late by hours must not reopen the window for longer than from when it was sent.
            var ends = (sentAt > now || sentAt == DateTimeOffset.UnixEpoch ? now : sentAt) + window;
            if (ReplyWindowEndsAt is null || ends > ReplyWindowEndsAt)
                ReplyWindowEndsAt = ends;
        }
        UnreadCustomerMessageId = providerMessageId;
        if (!answersRating)
            WaitingSince ??= now;
        LastActivityAt = now;
        if (Status is ConversationStatus.Pending or ConversationStatus.Snoozed)
        {
            Status = ConversationStatus.Open;
            SnoozedUntil = null;
            Changed("status", now);
        }
        else
        {
            UpdatedAt = now;
        }
        Raise(new MessageReceived(Id, message.Id, ContactId));
        return message;
    }

    /// <summary>
    /// An agent or a flow answers the customer. An agent answering a resolved conversation reopens it, because the
    /// customer will likely write back and it must be in someone's inbox then. A flow's message after resolution (a
    /// thank-you, a survey's last words) leaves it resolved: what the customer writes next opens a new conversation.
    /// </summary>
    public Message Reply(MessageAuthorType author, Guid? authorUserId, string? flowRef, MessageKind kind, string? text,
        IEnumerable<MessageAttachment> attachments, TimeProvider clock)
    {
        if (author is not (MessageAuthorType.Agent or MessageAuthorType.Automation))
            throw new DomainException("message.author", "Only an agent or an automation replies to a customer.");
        if (author == MessageAuthorType.Automation && string.IsNullOrWhiteSpace(flowRef))
            throw new DomainException("message.flowRef", "An automated reply names the flow that sent it.");

        var message = Message.Outbound(this, author, authorUserId, flowRef, kind, text, attachments, clock);
        var now = clock.GetUtcNow();
        if (Status == ConversationStatus.Resolved && author == MessageAuthorType.Agent)
        {
            Status = ConversationStatus.Open;
            ResolvedAt = null;
            Raise(new ConversationUpdated(Id, "reopened"));
        }
        FirstResponseAt ??= now;
        WaitingSince = null;
        LastActivityAt = now;
        UpdatedAt = now;
        return message;
    }

    /// <summary>
    /// A flow asks the customer to rate the conversation (or to say more about their rating). Unlike a reply it leaves a
    /// resolved conversation resolved, and the customer's answer within <see cref="RatingWindow"/> comes back here.
    /// </summary>
    public Message AskForRating(string flowRef, string text, TimeProvider clock)
    {
        var message = Message.Outbound(this, MessageAuthorType.Automation, null, flowRef, MessageKind.Text, text, [], clock);
        var now = clock.GetUtcNow();
        RatingAskedAt = now;
        LastActivityAt = now;
        UpdatedAt = now;
        return message;
    }

    public bool AwaitsRating(DateTimeOffset now) => RatingAskedAt is { } asked && now - asked < RatingWindow;

    /// <summary>The customer rated the conversation, 1 to 5.</summary>
    public void Rate(int score, TimeProvider clock)
    {
        if (score is < 1 or > 5)
            throw new DomainException("conversation.rating", "A rating is a whole number from 1 to 5.");
        Rating = score;
        RatedAt = clock.GetUtcNow();
        Changed("rating", RatedAt.Value);
    }

    /// <summary>
    /// No more answers to a rating question are expected. When the customer wrote something that was not one, the
    /// resolved conversation opens again so that people see it.
    /// </summary>
    public Message? StopAwaitingRating(bool reopen, TimeProvider clock)
    {
        RatingAskedAt = null;
        if (!reopen || Status != ConversationStatus.Resolved)
            return null;
        var message = ChangeStatus(ConversationStatus.Open, null, null, clock);
        WaitingSince ??= clock.GetUtcNow();
        return message;
    }

    /// <summary>What the reply being sent marks as read at the provider; the next reply has nothing left to mark.</summary>
    public string? TakeUnreadCustomerMessage()
    {
        var unread = UnreadCustomerMessageId;
        UnreadCustomerMessageId = null;
        return unread;
    }

    /// <summary>Whether a free-form message may go out now on a channel with a reply window of this length.</summary>
    public bool AcceptsFreeFormReply(TimeSpan? replyWindow, DateTimeOffset now) =>
        replyWindow is null || ReplyWindowEndsAt > now;

    /// <summary>A private note for the team; it changes nothing the customer sees or waits for.</summary>
    public Message AddNote(Guid? authorUserId, string text, TimeProvider clock)
    {
        var message = Message.Note(this, authorUserId, text, clock);
        UpdatedAt = clock.GetUtcNow();
        return message;
    }

    public Message? AssignTo(Guid? assigneeId, Guid? actorUserId, TimeProvider clock)
    {
        if (assigneeId == AssigneeId)
            return null;
        AssigneeId = assigneeId;
        AssignedAt = assigneeId is null ? null : clock.GetUtcNow();
        Raise(new ConversationAssigned(Id, AssigneeId, TeamId));
        Changed("assignee", clock.GetUtcNow());
        return Message.SystemEvent(this, actorUserId, assigneeId is null ? "Unassigned" : $"Assigned to agent {assigneeId}", clock);
    }

    public Message? AssignTeam(Guid? teamId, Guid? actorUserId, TimeProvider clock)
    {
        if (teamId == TeamId)
            return null;
        TeamId = teamId;
        Raise(new ConversationAssigned(Id, AssigneeId, TeamId));
        Changed("team", clock.GetUtcNow());
        return Message.SystemEvent(this, actorUserId, teamId is null ? "Removed from team" : $"Assigned to team {teamId}", clock);
    }

    /// <summary>
    /// Automation gives the conversation to people: from now on no flow answers the customer until an agent
    /// releases it. Returns the history line.
    /// </summary>
    public Message HandOff(string reason, string? summary, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        HandOffReason = Bounded(string.IsNullOrWhiteSpace(reason) ? "Handed off by automation." : reason.Trim(), MaxHandOffReasonLength);
        HandOffSummary = string.IsNullOrWhiteSpace(summary) ? null : Bounded(summary.Trim(), MaxHandOffSummaryLength);
        HandedOffAt = now;
        Raise(new ConversationHandedOff(Id, HandOffReason));
        Changed("handoff", now);
        return Message.SystemEvent(this, null, "Handed off to people: " + HandOffReason, clock);
    }

    /// <summary>An agent gives the conversation back to automation; a flow waiting for this continues.</summary>
    public Message Release(Guid? actorUserId, TimeProvider clock)
    {
        if (!IsHandedOff)
            throw new DomainException("conversation.notHandedOff", "The conversation is not handed off; there is nothing to release.");
        HandOffReason = null;
        HandOffSummary = null;
        HandedOffAt = null;
        Raise(new ConversationReleased(Id));
        Changed("released", clock.GetUtcNow());
        return Message.SystemEvent(this, actorUserId, "Released to automation", clock);
    }

    /// <summary>Sets the status; snoozing needs a time in the future. Returns the history line, or null when nothing changed.</summary>
    public Message? ChangeStatus(ConversationStatus status, DateTimeOffset? snoozedUntil, Guid? actorUserId, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (status == ConversationStatus.Snoozed)
        {
            if (snoozedUntil is not { } until || until <= now)
                throw new DomainException("conversation.snooze", "Snoozing needs a time in the future.");
        }
        else if (snoozedUntil is not null)
        {
            throw new DomainException("conversation.snooze", "Only a snoozed conversation has a snooze time.");
        }

        if (status == Status && snoozedUntil == SnoozedUntil)
            return null;

        var wasResolved = Status == ConversationStatus.Resolved;
        Status = status;
        SnoozedUntil = snoozedUntil;
        if (status == ConversationStatus.Resolved)
        {
            ResolvedAt = now;
            WaitingSince = null;
            Raise(new ConversationResolved(Id, now));
        }
        else if (wasResolved)
        {
            ResolvedAt = null;
        }
        Changed("status", now);
        var line = status == ConversationStatus.Snoozed ? $"Snoozed until {snoozedUntil:O}" : $"Status changed to {status}";
        return Message.SystemEvent(this, actorUserId, line, clock);
    }

    /// <summary>The snooze time passed: back to open. Does nothing if it was woken or changed meanwhile.</summary>
    public bool Wake(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (Status != ConversationStatus.Snoozed || SnoozedUntil > now)
            return false;
        Status = ConversationStatus.Open;
        SnoozedUntil = null;
        Changed("status", now);
        return true;
    }

    public void SetPriority(ConversationPriority priority, TimeProvider clock)
    {
        if (priority == Priority)
            return;
        Priority = priority;
        Changed("priority", clock.GetUtcNow());
    }

    public void SetLabels(IEnumerable<string> labels, TimeProvider clock)
    {
        var normalized = labels.Select(NormalizeLabel).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (normalized.Count > MaxLabels)
            throw new DomainException("conversation.labels", $"A conversation has at most {MaxLabels} labels.");
        if (normalized.SequenceEqual(_labels))
            return;
        _labels = normalized;
        Changed("labels", clock.GetUtcNow());
    }

    public void AddLabels(IEnumerable<string> labels, TimeProvider clock) => SetLabels(_labels.Concat(labels), clock);

    public void RemoveLabels(IEnumerable<string> labels, TimeProvider clock)
    {
        var removed = labels.Select(NormalizeLabel).ToHashSet(StringComparer.Ordinal);
        SetLabels(_labels.Where(l => !removed.Contains(l)), clock);
    }

    /// <summary>The contact was merged into another; the conversation follows the survivor.</summary>
    public void MoveToContact(Guid contactId, TimeProvider clock)
    {
        if (contactId == ContactId)
            return;
        ContactId = contactId;
        Changed("contact", clock.GetUtcNow());
    }

    public static string NormalizeLabel(string label)
    {
        var trimmed = label.Trim().ToLowerInvariant();
        if (trimmed.Length is 0 or > MaxLabelLength)
            throw new DomainException("conversation.labels", $"A label has 1 to {MaxLabelLength} characters.");
        return trimmed;
    }

    private static string Bounded(string text, int max) => text.Length <= max ? text : text[..max];

    private void EnsureNotResolved()
    {
        if (Status == ConversationStatus.Resolved)
            throw new DomainException("conversation.resolved", "A resolved conversation takes no new customer messages; a new conversation opens instead.");
    }

    private void Changed(string change, DateTimeOffset now)
    {
        UpdatedAt = now;
        Raise(new ConversationUpdated(Id, change));
    }
}
