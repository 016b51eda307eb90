using OneInbox.Domain.Common;

namespace OneInbox.Domain.Channels;

/// <summary>
/// A message waiting to be delivered to a provider. Written in the same transaction as the inbox message
/// it delivers; the dispatcher claims it with a lease, so a crash between claim and send only delays it,
/// and a recorded success is final, so it is never sent twice after that.
/// </summary>
public sealed class OutboxMessage : TenantEntity
{
    public const int MaxErrorLength = 500;

    private OutboxMessage(Guid connectionId, Guid messageId, string payload, DateTimeOffset createdAt)
    {
        ConnectionId = connectionId;
        MessageId = messageId;
        Payload = payload;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
    }

    /// <summary>The channel connection that delivers it.</summary>
    public Guid ConnectionId { get; private set; }

    /// <summary>The inbox message it delivers; its delivery status follows this row.</summary>
    public Guid MessageId { get; private set; }

    /// <summary>The serialised outbound message (encrypted at rest by persistence).</summary>
    public string Payload { get; private set; }

    public OutboxStatus Status { get; private set; } = OutboxStatus.Pending;

    public int Attempts { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>Until when a dispatcher holds it; another may claim it after that.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public string? LastError { get; private set; }

    public string? ProviderMessageId { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static OutboxMessage Create(Guid connectionId, Guid messageId, string payload, TimeProvider clock) =>
        new(connectionId, messageId, payload, clock.GetUtcNow());

    public void Claim(DateTimeOffset leaseUntil)
    {
        EnsureOpen();
        LeaseUntil = leaseUntil;
    }

    public void MarkSent(string providerMessageId, TimeProvider clock)
    {
        EnsureOpen();
        Status = OutboxStatus.Sent;
        ProviderMessageId = providerMessageId;
        SentAt = clock.GetUtcNow();
        Attempts++;
        LeaseUntil = null;
        LastError = null;
    }

    /// <summary>Not tried this time (another message of the same chat goes first): claimable again at once, no attempt counted.</summary>
    public void Release()
    {
        EnsureOpen();
        LeaseUntil = null;
    }

    /// <summary>A failure worth retrying: try again at the given time.</summary>
    public void ScheduleRetry(string error, DateTimeOffset nextAttemptAt)
    {
        EnsureOpen();
        Attempts++;
        LastError = Truncate(error);
        NextAttemptAt = nextAttemptAt;
        LeaseUntil = null;
    }

    /// <summary>
    /// Nothing can go out on this connection until an operator fixes it (an expired token): the row waits without
    /// counting an attempt, until the given time or until <see cref="Resume"/>.
    /// </summary>
    public void Hold(string error, DateTimeOffset until)
    {
        EnsureOpen();
        LastError = Truncate(error);
        NextAttemptAt = until;
        LeaseUntil = null;
    }

    /// <summary>The connection was fixed: a waiting row may go at once.</summary>
    public void Resume(TimeProvider clock)
    {
        if (Status == OutboxStatus.Pending && NextAttemptAt > clock.GetUtcNow())
            NextAttemptAt = clock.GetUtcNow();
    }

    /// <summary>Give up: the provider refused for good, or retries ran out. Visible and replayable through the API.</summary>
    public void Park(string error)
    {
        EnsureOpen();
        Attempts++;
        Status = OutboxStatus.Failed;
        LastError = Truncate(error);
        LeaseUntil = null;
    }

    /// <summary>An operator asks for another try of a parked row.</summary>
    public void Replay(TimeProvider clock)
    {
        if (Status != OutboxStatus.Failed)
            throw new DomainException("outbox.notFailed", "Only a failed delivery can be replayed.");
        Status = OutboxStatus.Pending;
        NextAttemptAt = clock.GetUtcNow();
    }

    private void EnsureOpen()
    {
        if (Status != OutboxStatus.Pending)
            throw new DomainException("outbox.closed", "This delivery is no longer pending.");
    }

    private static string Truncate(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
}

public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
}
