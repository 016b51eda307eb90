using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// What the receiver needs to authenticate a delivery (workspace, channel, decrypted inbound secret and credentials), kept for a
/// short while per connection so that a busy webhook does not read and decrypt the connection on every call.
/// Changing or deleting a connection forgets it on every node (<see cref="ICacheSignals"/>): a new secret is accepted
/// everywhere at once. If a node misses the signal it stops accepting within <see cref="Lifetime"/>, and an envelope of a
/// deleted connection is refused by its foreign key meanwhile. A connection of a closed workspace is unknown here: its
/// deliveries are refused (401) as if it had been deleted.
/// A miss reads the connection in a scope of its own, so a webhook whose connection is cached builds no unit of work
/// (ADR 0024: building one for every delivery was 8.6 % of a node's processor time in a burst).
/// </summary>
public sealed class InboundAuthCache(TimeProvider clock, ICacheSignals signals, IServiceScopeFactory scopes)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly SignalledCache<InboundAuth> _connections = new(CachedData.ChannelConnections, Lifetime, signals, clock);

    /// <summary>No principal on a webhook: the connection names the workspace, so it is looked up across workspaces.</summary>
    public async Task<InboundAuth?> FindAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (_connections.TryGet(connectionId, out var cached))
            return cached;
        var beforeReading = _connections.BeforeReading;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IOneInboxDb>();
        var found = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == connectionId && db.Workspaces.Any(w => w.Id == c.WorkspaceId && w.ClosedAt == null))
            .Select(c => new { c.WorkspaceId, c.Type, c.InboundSecret, c.Credentials })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return null;
        var auth = new InboundAuth(connectionId, found.WorkspaceId, found.Type, found.InboundSecret, ChannelCredentials.Deserialize(found.Credentials));
        _connections.Keep(connectionId, auth, beforeReading);
        return auth;
    }

    /// <summary>The other connections of the owner's workspace and channel (those that may share its webhook).</summary>
    public async Task<IReadOnlyList<InboundAuth>> SiblingsAsync(InboundAuth owner, CancellationToken cancellationToken)
    {
        List<Guid> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            ids = await scope.ServiceProvider.GetRequiredService<IOneInboxDb>().ChannelConnections.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.WorkspaceId == owner.WorkspaceId && c.Type == owner.Channel && c.Id != owner.ConnectionId)
                .Select(c => c.Id)
                .ToListAsync(cancellationToken);
        }
        var siblings = new List<InboundAuth>(ids.Count);
        foreach (var id in ids)
        {
            if (await FindAsync(id, cancellationToken) is { } sibling)
                siblings.Add(sibling);
        }
        return siblings;
    }

    /// <summary>The connection changed or went: every node forgets what it cached of it (the workers' endpoints too).</summary>
    public void Forget(Guid connectionId) => signals.Changed(CachedData.ChannelConnections, connectionId);
}

/// <param name="Secret">The connection's inbound secret (Telegram's secret_token, the API channel's bearer token, WhatsApp's verify token).</param>
/// <param name="Credentials">Its decrypted credentials (WhatsApp's app secret keys the signature).</param>
public sealed record InboundAuth(Guid ConnectionId, Guid WorkspaceId, ChannelType Channel, string Secret, IReadOnlyDictionary<string, string> Credentials);
