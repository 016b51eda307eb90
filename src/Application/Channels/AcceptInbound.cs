using System.Security.Cryptography;
using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// A provider (or an integration) delivers a raw payload to a connection. It is authenticated by the secret
/// it presents, stored as an envelope and acknowledged; processing happens later. Fail closed: an unknown
/// connection and a wrong or missing secret look the same and store nothing.
/// </summary>
public sealed record AcceptInbound(Guid ConnectionId, ChannelType Channel, string? PresentedSecret, byte[] Body) : ICommand<InboundAcceptance>;

public enum InboundAcceptance
{
    Stored = 0,

    /// <summary>Already stored before: acknowledged, nothing changed.</summary>
    Duplicate = 1,
    Unauthenticated = 2,

    /// <summary>Authenticated, but not a payload this channel understands.</summary>
    Unreadable = 3,
}

public sealed class AcceptInboundHandler(
    IOneInboxDb db,
    IInboundEnvelopeStore store,
    IEnumerable<IInboundPayloadReader> readers,
    InboundAuthCache authCache,
    TimeProvider clock) : ICommandHandler<AcceptInbound, InboundAcceptance>
{
    public async ValueTask<InboundAcceptance> Handle(AcceptInbound command, CancellationToken cancellationToken)
    {
        var connection = await AuthOfAsync(command.ConnectionId, cancellationToken);
        if (connection is null || connection.Channel != command.Channel || !SecretMatches(connection.Secret, command.PresentedSecret))
            return InboundAcceptance.Unauthenticated;

        var keys = readers.First(r => r.Channel == command.Channel).Read(command.Body);
        if (keys is null)
            return InboundAcceptance.Unreadable;

        var envelope = InboundEnvelope.Receive(connection.WorkspaceId, command.ConnectionId, keys.ProviderId, keys.ConversationKey,
            Encoding.UTF8.GetString(command.Body), clock);
        switch (await store.AddAsync(envelope, cancellationToken))
        {
            case EnvelopeStoreResult.Stored:
                return InboundAcceptance.Stored;
            case EnvelopeStoreResult.Duplicate:
                return InboundAcceptance.Duplicate;
            default:
                authCache.Forget(command.ConnectionId);
                return InboundAcceptance.Unauthenticated; // deleted since it was cached
        }
    }

    /// <summary>No principal on a webhook: the connection names the workspace, so it is looked up across workspaces.</summary>
    private async Task<InboundAuth?> AuthOfAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (authCache.TryGet(connectionId, out var cached))
            return cached;
        var found = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == connectionId)
            .Select(c => new { c.WorkspaceId, c.Type, c.InboundSecret })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return null;
        var auth = new InboundAuth(found.WorkspaceId, found.Type, found.InboundSecret);
        authCache.Remember(connectionId, auth);
        return auth;
    }

    /// <summary>Constant time in the secret's content; a missing secret compares against the stored one all the same.</summary>
    internal static bool SecretMatches(string expected, string? presented)
    {
        var expectedBytes = Encoding.UTF8.GetBytes(expected);
        var presentedBytes = Encoding.UTF8.GetBytes(presented ?? string.Empty);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(expectedBytes), SHA256.HashData(presentedBytes))
               && presented is not null;
    }
}
