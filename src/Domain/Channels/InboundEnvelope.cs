using OneInbox.Domain.Common;

namespace OneInbox.Domain.Channels;

/// <summary>
/// A provider's raw inbound payload, stored before it is acknowledged. Unique per (connection, provider id),
/// so a redelivery is dropped by the database. The processor claims it with a lease and turns it into an inbox
/// message; the envelopes of one conversation are processed in the order they arrived.
/// </summary>
public sealed class InboundEnvelope : TenantEntity
{
    public const int MaxErrorLength = 500;
    public const int MaxProviderIdLength = 200;
    public const int MaxConversationKeyLength = 200;

    private InboundEnvelope(Guid connectionId, string providerId, string conversationKey, string payload, DateTimeOffset receivedAt)
    {
        ConnectionId = connectionId;
        ProviderId = providerId;
        ConversationKey = conversationKey;
        Payload = payload;
        ReceivedAt = receivedAt;
        NextAttemptAt = receivedAt;
    }

    public Guid ConnectionId { get; private set; }

    /// <summary>The provider's id of the delivery (Telegram update_id, the API channel's message id).</summary>
    public string ProviderId { get; private set; }

    /// <summary>Which conversation it belongs to on the channel; envelopes with the same key are processed in order.</summary>
    public string ConversationKey { get; private set; }

    /// <summary>The raw body as received (encrypted at rest by persistence).</summary>
    public string Payload { get; private set; }

    public EnvelopeStatus Status { get; private set; } = EnvelopeStatus.Pending;

    public int Attempts { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    public DateTimeOffset? ProcessedAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>Stored for a workspace outside a signed-in request (webhooks carry no principal).</summary>
    public static InboundEnvelope Receive(Guid workspaceId, Guid connectionId, string providerId, string conversationKey, string payload, TimeProvider clock)
    {
        if (string.IsNullOrEmpty(providerId) || providerId.Length > MaxProviderIdLength)
            throw new DomainException("envelope.providerId", "An inbound delivery needs a provider id of at most 200 characters.");
        var envelope = new InboundEnvelope(connectionId, providerId, Truncate(conversationKey, MaxConversationKeyLength), payload, clock.GetUtcNow());
        envelope.BelongTo(workspaceId);
        return envelope;
    }

    public void MarkProcessed(TimeProvider clock)
    {
        EnsurePending();
        Status = EnvelopeStatus.Processed;
        Attempts++;
        ProcessedAt = clock.GetUtcNow();
        LeaseUntil = null;
        LastError = null;
    }

    public void ScheduleRetry(string error, DateTimeOffset nextAttemptAt)
    {
        EnsurePending();
        Attempts++;
        LastError = Truncate(error, MaxErrorLength);
        NextAttemptAt = nextAttemptAt;
        LeaseUntil = null;
    }

    /// <summary>
    /// Claimed behind an older envelope of its conversation that did not get through: it waits, unattempted, until that
    /// one is processed or parked, so a conversation's messages still reach the inbox in order.
    /// </summary>
    public void WaitForOlder()
    {
        EnsurePending();
        LeaseUntil = null;
    }

    /// <summary>Retries ran out (or the payload can never be processed): kept, visible and replayable.</summary>
    public void Park(string error)
    {
        EnsurePending();
        Attempts++;
        Status = EnvelopeStatus.Failed;
        LastError = Truncate(error, MaxErrorLength);
        LeaseUntil = null;
    }

    public void Replay(TimeProvider clock)
    {
        if (Status != EnvelopeStatus.Failed)
            throw new DomainException("envelope.notFailed", "Only a failed envelope can be replayed.");
        Status = EnvelopeStatus.Pending;
        Attempts = 0;
        NextAttemptAt = clock.GetUtcNow();
    }

    private void EnsurePending()
    {
        if (Status != EnvelopeStatus.Pending)
            throw new DomainException("envelope.closed", "This envelope is no longer pending.");
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

public enum EnvelopeStatus
{
    Pending = 0,
    Processed = 1,
    Failed = 2,
}
