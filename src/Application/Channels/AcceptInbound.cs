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
    WorkspaceContext workspace,
    IEnumerable<IInboundPayloadReader> readers,
    TimeProvider clock) : ICommandHandler<AcceptInbound, InboundAcceptance>
{
    public async ValueTask<InboundAcceptance> Handle(AcceptInbound command, CancellationToken cancellationToken)
    {
        // No principal on a webhook: the connection names the workspace, so look it up across workspaces once.
        var connection = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == command.ConnectionId && c.Type == command.Channel)
            .Select(c => new { c.WorkspaceId, c.InboundSecret })
            .FirstOrDefaultAsync(cancellationToken);
        if (connection is null || !SecretMatches(connection.InboundSecret, command.PresentedSecret))
            return InboundAcceptance.Unauthenticated;

        var keys = readers.First(r => r.Channel == command.Channel).Read(command.Body);
        if (keys is null)
            return InboundAcceptance.Unreadable;

        workspace.Enter(connection.WorkspaceId);
        var envelope = InboundEnvelope.Receive(connection.WorkspaceId, command.ConnectionId, keys.ProviderId, keys.ConversationKey,
            Encoding.UTF8.GetString(command.Body), clock);
        db.InboundEnvelopes.Add(envelope);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return InboundAcceptance.Stored;
        }
        catch (DbUpdateException)
        {
            // The unique key refused the insert: a redelivery, or a concurrent copy that won. Anything else rethrows.
            if (await AlreadyStoredAsync(command.ConnectionId, keys.ProviderId, cancellationToken))
                return InboundAcceptance.Duplicate;
            throw;
        }
    }

    private async Task<bool> AlreadyStoredAsync(Guid connectionId, string providerId, CancellationToken cancellationToken) =>
        await db.InboundEnvelopes.AsNoTracking().AnyAsync(e => e.ConnectionId == connectionId && e.ProviderId == providerId, cancellationToken);

    /// <summary>Constant time in the secret's content; a missing secret compares against the stored one all the same.</summary>
    internal static bool SecretMatches(string expected, string? presented)
    {
        var expectedBytes = Encoding.UTF8.GetBytes(expected);
        var presentedBytes = Encoding.UTF8.GetBytes(presented ?? string.Empty);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(expectedBytes), SHA256.HashData(presentedBytes))
               && presented is not null;
    }
}
