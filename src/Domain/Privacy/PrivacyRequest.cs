using System.Security.Cryptography;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Privacy;

public enum PrivacyRequestType
{
    Access = 0,
    Portability = 1,
    Correction = 2,
    Erasure = 3,
    Restriction = 4,
    Objection = 5,
    ConsentWithdrawal = 6,
}

/// <summary>What an objection or a consent withdrawal is about.</summary>
public enum PrivacyPurpose
{
    Automation = 0,
    Marketing = 1,
    Analytics = 2,
}

/// <summary>Where the request came in.</summary>
public enum PrivacyRequestChannel
{
    Api = 0,
    Chat = 1,
    Email = 2,
    Phone = 3,
    MetaCallback = 4,
}

public enum PrivacyRequestStatus
{
    Received = 0,
    InProgress = 1,
    Completed = 2,
    Refused = 3,
}

/// <summary>One line of a case's timeline: what happened, when, and who (a user id, or the system).</summary>
public sealed record PrivacyRequestEvent(DateTimeOffset At, string What, Guid? By, string? Detail);

/// <summary>
/// A data-subject request as a case (GDPR art. 12-22): received, worked on, then completed or refused with a
/// reason and its legal basis, always by its due date. The subject is a contact of the workspace or a member's
/// own account. Once the subject is erased the case keeps no personal data: only a salted hash of the identity
/// it named, which proves which request it was to someone who knows that identity.
/// </summary>
public sealed class PrivacyRequest : TenantEntity
{
    public const int MaxDays = 30;
    public const int MaxTextLength = 1000;
    public const int MaxFieldLength = 100;

    private PrivacyRequest(PrivacyRequestType type, PrivacyPurpose? purpose, PrivacyRequestChannel channel, Guid? contactId, Guid? memberUserId,
        DateTimeOffset receivedAt, DateTimeOffset dueAt, string confirmationCode)
    {
        Type = type;
        Purpose = purpose;
        Channel = channel;
        ContactId = contactId;
        MemberUserId = memberUserId;
        ReceivedAt = receivedAt;
        DueAt = dueAt;
        ConfirmationCode = confirmationCode;
    }

    public PrivacyRequestType Type { get; private set; }

    public PrivacyPurpose? Purpose { get; private set; }

    public PrivacyRequestChannel Channel { get; private set; }

    /// <summary>The contact the request is about; kept after erasure (a random id that no longer leads anywhere).</summary>
    public Guid? ContactId { get; private set; }

    /// <summary>The member whose own account the request is about.</summary>
    public Guid? MemberUserId { get; private set; }

    /// <summary>For a correction: which field, and the value asked for.</summary>
    public string? CorrectionField { get; private set; }

    public string? CorrectionValue { get; private set; }

    public PrivacyRequestStatus Status { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>What was done, in words the person may read (an erasure limited by a legal hold says so here).</summary>
    public string? Outcome { get; private set; }

    public string? RefusalReason { get; private set; }

    public string? RefusalLegalBasis { get; private set; }

    /// <summary>HMAC-SHA256 of the subject's identity under <see cref="SubjectSalt"/>, written when the subject is erased.</summary>
    public string? SubjectHash { get; private set; }

    public string SubjectSalt { get; private set; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>A public, unguessable code under which the status page shows this case's status (and nothing personal).</summary>
    public string ConfirmationCode { get; private set; }

    /// <summary>The last deadline warning sent (days before the due date: 7, then 1), so each goes once.</summary>
    public int? WarnedDaysBefore { get; private set; }

    public IReadOnlyList<PrivacyRequestEvent> Timeline { get; private set; } = [];

    public bool IsOpen => Status is PrivacyRequestStatus.Received or PrivacyRequestStatus.InProgress;

    public bool IsOverdue(DateTimeOffset now) => IsOpen && now > DueAt;

    public static PrivacyRequest Receive(PrivacyRequestType type, PrivacyPurpose? purpose, PrivacyRequestChannel channel, Guid? contactId, Guid? memberUserId,
        string? correctionField, string? correctionValue, int responseDays, Guid? by, TimeProvider clock)
    {
        if (contactId is null == memberUserId is null)
            throw new DomainException("privacy.subject", "A request is about exactly one subject: a contact or a member's own account.");
        if (type is PrivacyRequestType.Objection or PrivacyRequestType.ConsentWithdrawal && purpose is null)
            throw new DomainException("privacy.purpose", "An objection or a consent withdrawal names its purpose (automation, marketing or analytics).");
        if (type == PrivacyRequestType.Correction && (string.IsNullOrWhiteSpace(correctionField) || correctionValue is null))
            throw new DomainException("privacy.correction", "A correction names the field and the corrected value.");
        if (responseDays is < 1 or > MaxDays)
            throw new DomainException("privacy.days", $"A request is answered within 1 to {MaxDays} days.");
        var now = clock.GetUtcNow();
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var request = new PrivacyRequest(type, purpose, channel, contactId, memberUserId, now, now.AddDays(responseDays), code)
        {
            CorrectionField = correctionField?.Trim(),
            CorrectionValue = correctionValue,
        };
        request.Note(now, "received", by, $"by {channel}");
        return request;
    }

    /// <summary>
    /// Someone asked (through Meta's deletion callback) about an account that names no contact here: the case is closed
    /// at once, saying no data is held, and keeps only the salted hash of the account, so the person can check its status.
    /// </summary>
    public static PrivacyRequest NothingHeld(PrivacyRequestType type, PrivacyRequestChannel channel, string identity, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var request = new PrivacyRequest(type, null, channel, null, null, now, now, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        request.Note(now, "received", null, $"by {channel}");
        request.SubjectHash = HashOf(request.SubjectSalt, [identity]);
        request.Status = PrivacyRequestStatus.Completed;
        request.Outcome = "No personal data linked to this account is held here.";
        request.ClosedAt = now;
        request.Note(now, "completed", null, request.Outcome);
        return request;
    }

    /// <summary>HMAC-SHA256 under a case's salt of the identities that named a person (case and order do not matter), lower-case hex.</summary>
    public static string HashOf(string salt, IEnumerable<string> identities)
    {
        var canonical = string.Join('\n', identities.Select(i => i.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));
        return Convert.ToHexString(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(salt), System.Text.Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
    }

    public void Start(Guid? by, TimeProvider clock)
    {
        if (Status != PrivacyRequestStatus.Received)
            throw new DomainException("privacy.status", $"A {Status} request cannot be started.");
        Status = PrivacyRequestStatus.InProgress;
        Note(clock.GetUtcNow(), "started", by, null);
    }

    public void Complete(string outcome, Guid? by, TimeProvider clock)
    {
        if (!IsOpen)
            throw new DomainException("privacy.status", $"A {Status} request cannot be completed.");
        var now = clock.GetUtcNow();
        Status = PrivacyRequestStatus.Completed;
        Outcome = Limit(outcome);
        ClosedAt = now;
        Note(now, "completed", by, Outcome);
    }

    public void Refuse(string reason, string legalBasis, Guid? by, TimeProvider clock)
    {
        if (!IsOpen)
            throw new DomainException("privacy.status", $"A {Status} request cannot be refused.");
        if (string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(legalBasis))
            throw new DomainException("privacy.refusal", "A refusal gives its reason and its legal basis.");
        var now = clock.GetUtcNow();
        Status = PrivacyRequestStatus.Refused;
        RefusalReason = Limit(reason);
        RefusalLegalBasis = Limit(legalBasis);
        ClosedAt = now;
        Note(now, "refused", by, $"{RefusalReason} ({RefusalLegalBasis})");
    }

    /// <summary>The subject was erased: the case forgets what identified them but can still prove it given the identity.</summary>
    public void ForgetSubject(string subjectHash, TimeProvider clock)
    {
        SubjectHash = subjectHash;
        CorrectionValue = null;
        Note(clock.GetUtcNow(), "subject_erased", null, null);
    }

    /// <summary>Records a deadline warning; false when that warning (or a closer one) went out already.</summary>
    public bool Warn(int daysBefore, TimeProvider clock)
    {
        if (WarnedDaysBefore is { } warned && warned <= daysBefore)
            return false;
        WarnedDaysBefore = daysBefore;
        Note(clock.GetUtcNow(), "deadline_warning", null, $"{daysBefore} day(s) left");
        Raise(new PrivacyDeadlineNear(Id, Type, daysBefore, DueAt));
        return true;
    }

    public void Note(DateTimeOffset at, string what, Guid? by, string? detail) => Timeline = [.. Timeline, new PrivacyRequestEvent(at, what, by, detail)];

    private static string Limit(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length > MaxTextLength ? trimmed[..MaxTextLength] : trimmed;
    }
}
