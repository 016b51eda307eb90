using OneInbox.Application.Channels;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>Meta's data deletion callback: a <c>signed_request</c> made with the connection's app secret names a WhatsApp account.</summary>
internal sealed class WhatsAppDataDeletion : IDataDeletionCallback
{
    public ChannelType Channel => ChannelType.WhatsApp;

    public string RoutePattern => "/webhooks/meta/data-deletion/{connectionId:guid}";

    public string FormField => "signed_request";

    public string? VerifiedAccount(InboundAuth connection, string? signedRequest, DateTimeOffset now) =>
        connection.Credentials.GetValueOrDefault(WhatsAppCredentials.AppSecret) is { Length: > 0 } secret
        && MetaSignedRequest.Check(signedRequest, secret, now, out var userId) == SignedRequestCheck.Valid
            ? userId
            : null;
}
