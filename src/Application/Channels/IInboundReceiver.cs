using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// One channel's receiving end: where its deliveries arrive, how they are authenticated (on the raw bytes, before
/// any parsing) and what the receiver must know of them before storing: one envelope per message it carries.
/// </summary>
public interface IInboundReceiver
{
    ChannelType Channel { get; }

    /// <summary>The route deliveries arrive at, with a {connectionId} segment.</summary>
    InboundRoute Route { get; }

    /// <summary>Fail closed: false for anything but a delivery proven to come from the provider (or the integration).</summary>
    bool Authenticate(InboundAuth connection, InboundRequest request);

    /// <summary>The deliveries the body carries (may be none), or null when it is not a payload this channel understands.</summary>
    IReadOnlyList<InboundDelivery>? Read(ReadOnlySpan<byte> body);

    /// <summary>
    /// Which deliveries a connection owns when several share one webhook (WhatsApp: its phone number id);
    /// null for channels with one webhook per connection.
    /// </summary>
    string? RouteKeyOf(InboundAuth connection) => null;

    /// <summary>Whether a delivery that arrived at owner's URL may be handed to other (same workspace, same signing key).</summary>
    bool MayShareWebhook(InboundAuth owner, InboundAuth other) => false;

    /// <summary>
    /// The JSON to answer an accepted delivery with, for providers that read the response (a Discord interaction
    /// is acknowledged in it); null: an empty 200.
    /// </summary>
    string? Reply(ReadOnlySpan<byte> body) => null;

    /// <summary>A provider's GET verification of the webhook URL: the text to answer, or null to refuse (403).</summary>
    string? AnswerHandshake(InboundAuth connection, Func<string, string?> query) => null;
}

/// <param name="Pattern">The route template, e.g. "/webhooks/telegram/{connectionId:guid}".</param>
/// <param name="OperationName">The OpenAPI operation name when integrations call it (the API channel); null keeps it out of the document.</param>
/// <param name="Handshake">The provider verifies the URL with a GET first (<see cref="IInboundReceiver.AnswerHandshake"/>).</param>
public sealed record InboundRoute(string Pattern, string? OperationName = null, string? Summary = null, bool Handshake = false);

/// <param name="Header">A request header's value by name, or null.</param>
public sealed record InboundRequest(byte[] Body, Func<string, string?> Header);

/// <param name="ProviderId">The dedupe key within the connection.</param>
/// <param name="ConversationKey">Envelopes with the same key are processed in order.</param>
/// <param name="Payload">What to store; null stores the body as it came.</param>
/// <param name="RouteKey">Which connection sharing the webhook owns it; null: the one whose URL it came to.</param>
public sealed record InboundDelivery(string ProviderId, string ConversationKey, string? Payload = null, string? RouteKey = null);
