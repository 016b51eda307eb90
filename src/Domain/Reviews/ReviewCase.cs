using OneInbox.Domain.Common;

namespace OneInbox.Domain.Reviews;

public enum ReviewStatus
{
    Open = 0,
    InReview = 1,
    Upheld = 2,
    Overturned = 3,
    Withdrawn = 4,
}

/// <summary>How the case came in: the customer's words in the chat, a button a flow offered, or an agent on their behalf.</summary>
public enum ReviewSource
{
    Chat = 0,
    Button = 1,
    Agent = 2,
}

/// <summary>One line of a case's trail: what happened, when, by whom (a user id, or the system).</summary>
public sealed record ReviewEvent(DateTimeOffset At, string What, Guid? By, string? Detail);

/// <summary>
/// A corrective action an overturning reviewer chose, with what came of it. Types: reassignTeam (TeamId), assignAgent
/// (MemberId), handOff, setAttribute (Key, Value), clearAttribute (Key), addTag (Tag), removeTag (Tag), sendMessage (Text,
/// or an approved Template where the channel's window is closed), restartFlow (NodeId: the contested flow version runs
/// again from that node, the conversation back with the bot).
/// </summary>
public sealed record ReviewAction(
    string Type, Guid? TeamId, Guid? MemberId, string? Key, string? Value, string? Tag, string? Text, string? NodeId, ReviewTemplate? Template, string? Result);

/// <summary>An approved message template (WhatsApp) a reviewer sends as a corrective action.</summary>
public sealed record ReviewTemplate(string Name, string Language, IReadOnlyList<string>? Parameters);

/// <summary>The automated decision a case is about: a flow instance and, when it made one, its significant step.</summary>
public sealed record ContestedDecision(Guid InstanceId, Guid FlowId, int FlowVersion, int? Sequence, string? NodeId, string? Explanation);

/// <summary>
/// A person contests what a bot decided (GDPR art. 22, the privacy policy's §13): the case names the conversation, the
/// flow run and its step, keeps the customer's own words, and is due in the workspace's days (never over 30). An Auditor
/// or Owner upholds or overturns it with a reason; an overturn records the corrective actions taken, and the customer
/// is told the outcome. Every change is on the trail.
/// </summary>
public sealed class ReviewCase : TenantEntity
{
    public const int MaxDays = 30;
    public const int MaxWordsLength = 2000;
    public const int MaxReasonLength = 2000;

    private List<ReviewEvent> _trail = [];

    private ReviewCase(Guid conversationId, Guid contactId, ReviewSource source, string customerWords, DateTimeOffset openedAt, DateTimeOffset dueAt)
    {
        ConversationId = conversationId;
        ContactId = contactId;
        Source = source;
        CustomerWords = customerWords;
        OpenedAt = openedAt;
        DueAt = dueAt;
    }

    private ReviewCase()
    {
        CustomerWords = string.Empty;
    }

    public Guid ConversationId { get; private set; }

    public Guid ContactId { get; private set; }

    public ReviewSource Source { get; private set; }

    /// <summary>What the customer said when contesting (or what the agent wrote for them).</summary>
    public string CustomerWords { get; private set; }

    public Guid? OpenedBy { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public Guid? InstanceId { get; private set; }

    public Guid? FlowId { get; private set; }

    public int? FlowVersion { get; private set; }

    public int? ContestedSequence { get; private set; }

    public string? ContestedNodeId { get; private set; }

    public string? ContestedExplanation { get; private set; }

    public ReviewStatus Status { get; private set; }

    public Guid? AssigneeId { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public Guid? DecidedBy { get; private set; }

    public string? Reason { get; private set; }

    public IReadOnlyList<ReviewAction> Actions { get; private set; } = [];

    /// <summary>The outcome message as sent to the customer (or why it could not be sent).</summary>
    public string? CustomerMessage { get; private set; }

    public IReadOnlyList<ReviewEvent> Trail
    {
        get => _trail;
        private set => _trail = [.. value];
    }

    public bool IsOpen => Status is ReviewStatus.Open or ReviewStatus.InReview;

    public bool IsOverdue(DateTimeOffset now) => IsOpen && now > DueAt;

    public static ReviewCase Open(Guid conversationId, Guid contactId, ReviewSource source, string customerWords, ContestedDecision? decision,
        int dueDays, Guid? openedBy, TimeProvider clock)
    {
        if (dueDays is < 1 or > MaxDays)
            throw new DomainException("review.days", $"A review is due within 1 to {MaxDays} days.");
        var words = customerWords.Trim();
        if (words.Length is 0 or > MaxWordsLength)
            throw new DomainException("review.words", $"The customer's words have 1 to {MaxWordsLength} characters.");
        var now = clock.GetUtcNow();
        var review = new ReviewCase(conversationId, contactId, source, words, now, now.AddDays(dueDays)) { OpenedBy = openedBy };
        if (decision is not null)
        {
            review.InstanceId = decision.InstanceId;
            review.FlowId = decision.FlowId;
            review.FlowVersion = decision.FlowVersion;
            review.ContestedSequence = decision.Sequence;
            review.ContestedNodeId = decision.NodeId;
            review.ContestedExplanation = decision.Explanation;
        }
        review.Note(now, "opened", openedBy, decision?.NodeId is { } node ? $"by {source}, contesting step {node}" : $"by {source}");
        return review;
    }

    public void Assign(Guid assigneeId, Guid? by, TimeProvider clock)
    {
        EnsureOpen();
        AssigneeId = assigneeId;
        Note(clock.GetUtcNow(), "assigned", by, assigneeId.ToString());
    }

    public void Start(Guid by, TimeProvider clock)
    {
        if (Status != ReviewStatus.Open)
            throw new DomainException("review.status", $"A case that is {Describe(Status)} cannot be started.");
        Status = ReviewStatus.InReview;
        AssigneeId ??= by;
        Note(clock.GetUtcNow(), "started", by, null);
    }

    /// <summary>Upheld or overturned, with the reason; an overturn names at least one corrective action, an upheld decision none.</summary>
    public void Decide(ReviewStatus outcome, string reason, IReadOnlyList<ReviewAction> actions, Guid by, TimeProvider clock)
    {
        EnsureOpen();
        if (outcome is not (ReviewStatus.Upheld or ReviewStatus.Overturned))
            throw new DomainException("review.outcome", "A case is decided as upheld or overturned.");
        if (outcome == ReviewStatus.Overturned && actions.Count == 0)
            throw new DomainException("review.actions", "An overturned decision is corrected: choose at least one corrective action.");
        if (outcome == ReviewStatus.Upheld && actions.Count > 0)
            throw new DomainException("review.actions", "An upheld decision stands: it takes no corrective action.");
        Close(outcome, reason, by, clock);
        Actions = [.. actions];
        foreach (var action in actions)
            Note(DecidedAt!.Value, "action", by, $"{action.Type}: {action.Result}");
    }

    public void Withdraw(string reason, Guid? by, TimeProvider clock)
    {
        EnsureOpen();
        Close(ReviewStatus.Withdrawn, reason, by, clock);
    }

    /// <summary>The contact was merged into another: the case follows the person.</summary>
    public void MoveToContact(Guid contactId, Guid? by, TimeProvider clock)
    {
        Note(clock.GetUtcNow(), "contact_merged", by, $"{ContactId} → {contactId}");
        ContactId = contactId;
    }

    public void RecordCustomerMessage(string text, TimeProvider clock)
    {
        CustomerMessage = text;
        Note(clock.GetUtcNow(), "customer_told", null, null);
    }

    public void Note(DateTimeOffset at, string what, Guid? by, string? detail) => _trail.Add(new ReviewEvent(at, what, by, detail));

    private void Close(ReviewStatus outcome, string reason, Guid? by, TimeProvider clock)
    {
        var text = reason.Trim();
        if (text.Length is 0 or > MaxReasonLength)
            throw new DomainException("review.reason", $"The reason has 1 to {MaxReasonLength} characters: the customer reads it.");
        Status = outcome;
        Reason = text;
        DecidedBy = by;
        DecidedAt = clock.GetUtcNow();
        Note(DecidedAt.Value, Describe(outcome), by, text);
    }

    private void EnsureOpen()
    {
        if (!IsOpen)
            throw new DomainException("review.closed", $"This case is {Describe(Status)} already.");
    }

    private static string Describe(ReviewStatus status) => status switch
    {
        ReviewStatus.InReview => "inReview",
        _ => status.ToString().ToLowerInvariant(),
    };
}
