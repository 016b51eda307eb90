using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// Makes an inbound envelope durable before the provider is acknowledged. Duplicates (same connection and
/// provider id) are recognised by the database's unique key, never by reading first.
/// </summary>
public interface IInboundEnvelopeStore
{
    /// <summary>Returns once the envelope is committed (or known to be a duplicate, or its connection is gone).</summary>
    ValueTask<EnvelopeStoreResult> AddAsync(InboundEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>Whether one caller may add several envelopes at once (a delivery carrying many messages), so they share a commit.</summary>
    bool AcceptsConcurrentAdds => false;
}

public enum EnvelopeStoreResult
{
    Stored = 0,
    Duplicate = 1,

    /// <summary>The connection was deleted between authentication and the insert.</summary>
    ConnectionGone = 2,
}
