using System.Security.Cryptography;
using System.Text;
using Mediator;
using Microsoft.Extensions.Logging;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// A provider (or an integration) delivers a raw payload to a connection. Its channel's receiver authenticates it
/// on the raw bytes, then each message it carries is stored as an envelope and the whole is acknowledged;
/// processing happens later. Fail closed: an unknown connection and a failed authentication look the same and
/// store nothing.
/// </summary>
public sealed record AcceptInbound(Guid ConnectionId, ChannelType Channel, InboundRequest Request) : ICommand<InboundAcceptance>;

public enum InboundAcceptance
{
    Stored = 0,

    /// <summary>Nothing new: already stored before, or nothing in it to store. Acknowledged all the same.</summary>
    Duplicate = 1,
    Unauthenticated = 2,

    /// <summary>Authenticated, but not a payload this channel understands.</summary>
    Unreadable = 3,
}

public sealed partial class AcceptInboundHandler(
    IInboundEnvelopeStore store,
    IEnumerable<IInboundReceiver> receivers,
    InboundAuthCache authCache,
    TimeProvider clock,
    ILogger<AcceptInboundHandler> logger) : ICommandHandler<AcceptInbound, InboundAcceptance>
{
    public async ValueTask<InboundAcceptance> Handle(AcceptInbound command, CancellationToken cancellationToken)
    {
        var receiver = receivers.FirstOrDefault(r => r.Channel == command.Channel);
        var connection = await authCache.FindAsync(command.ConnectionId, cancellationToken);
        if (receiver is null || connection is null || connection.Channel != command.Channel || !receiver.Authenticate(connection, command.Request))
            return InboundAcceptance.Unauthenticated;

        var deliveries = receiver.Read(command.Request.Body);
        if (deliveries is null)
            return InboundAcceptance.Unreadable;
        if (deliveries.Count == 1 && deliveries[0].RouteKey is null)
            return await StoreAsync(connection, deliveries[0], command.Request.Body, cancellationToken) ?? InboundAcceptance.Unauthenticated;

        var ownKey = receiver.RouteKeyOf(connection);
        var stored = false;
        foreach (var group in deliveries.GroupBy(d => d.RouteKey))
        {
            var owner = group.Key is null || group.Key == ownKey ? connection : await SiblingAsync(receiver, connection, group.Key, cancellationToken);
            if (owner is null)
            {
                // Acknowledged and dropped: the provider would retry it for days, and no connection here will ever own it.
                LogUnrouted(connection.ConnectionId, group.Count());
                continue;
            }
            var outcomes = await StoreAllAsync(owner, group.ToList(), command.Request.Body, cancellationToken);
            if (owner == connection && outcomes.Contains(null))
                return InboundAcceptance.Unauthenticated;
            stored |= outcomes.Contains(InboundAcceptance.Stored);
        }
        return stored ? InboundAcceptance.Stored : InboundAcceptance.Duplicate;
    }

    /// <summary>A delivery's messages share one commit where the store allows it.</summary>
    private async Task<InboundAcceptance?[]> StoreAllAsync(InboundAuth owner, List<InboundDelivery> deliveries, byte[] body, CancellationToken cancellationToken)
    {
        if (store.AcceptsConcurrentAdds)
            return await Task.WhenAll(deliveries.Select(d => StoreAsync(owner, d, body, cancellationToken)));
        var outcomes = new InboundAcceptance?[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
            outcomes[i] = await StoreAsync(owner, deliveries[i], body, cancellationToken);
        return outcomes;
    }

    /// <summary>One envelope; null when its connection was deleted since it was cached.</summary>
    private async Task<InboundAcceptance?> StoreAsync(InboundAuth owner, InboundDelivery delivery, byte[] body, CancellationToken cancellationToken)
    {
        var envelope = InboundEnvelope.Receive(owner.WorkspaceId, owner.ConnectionId, delivery.ProviderId, delivery.ConversationKey,
            delivery.Payload ?? Encoding.UTF8.GetString(body), clock);
        switch (await store.AddAsync(envelope, cancellationToken))
        {
            case EnvelopeStoreResult.Stored:
                return InboundAcceptance.Stored;
            case EnvelopeStoreResult.Duplicate:
                return InboundAcceptance.Duplicate;
            default:
                authCache.Forget(owner.ConnectionId);
                return null;
        }
    }

    /// <summary>Another connection of the same workspace and channel that owns the route key and may share the owner's webhook.</summary>
    private async Task<InboundAuth?> SiblingAsync(IInboundReceiver receiver, InboundAuth owner, string routeKey, CancellationToken cancellationToken) =>
        (await authCache.SiblingsAsync(owner, cancellationToken))
            .FirstOrDefault(sibling => receiver.RouteKeyOf(sibling) == routeKey && receiver.MayShareWebhook(owner, sibling));

    /// <summary>Constant time in the secret's content; a missing secret compares against the stored one all the same.</summary>
    public static bool SecretMatches(string expected, string? presented)
    {
        var expectedBytes = Encoding.UTF8.GetBytes(expected);
        var presentedBytes = Encoding.UTF8.GetBytes(presented ?? string.Empty);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(expectedBytes), SHA256.HashData(presentedBytes))
               && presented is not null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} deliveries at connection {ConnectionId}'s webhook belong to no connection that may share it; acknowledged and dropped")]
    private partial void LogUnrouted(Guid connectionId, int count);
}
