using OneInbox.Application.Channels;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Privacy;

/// <summary>
/// A provider's data deletion callback (Meta's, for WhatsApp): how a channel module proves the request came from the
/// provider and which of its accounts it names. Registered by the module; the endpoint maps each one's route.
/// </summary>
public interface IDataDeletionCallback
{
    ChannelType Channel { get; }

    /// <summary>The route the provider calls, with a {connectionId} parameter.</summary>
    string RoutePattern { get; }

    /// <summary>The form field holding the signed request.</summary>
    string FormField { get; }

    /// <summary>The provider's account id (a channel identity's external id), or null when the request is not proven.</summary>
    string? VerifiedAccount(InboundAuth connection, string? signedRequest, DateTimeOffset now);
}
