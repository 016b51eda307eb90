using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>
/// What the receiver needs to authenticate a delivery (workspace, channel, decrypted inbound secret and credentials), kept for a
/// short while per connection so that a busy webhook does not read and decrypt the connection on every call.
/// Deleting a connection forgets it on this node; other nodes stop accepting within <see cref="Lifetime"/>, and an
/// envelope of a deleted connection is refused by its foreign key meanwhile. A connection of a closed workspace is
/// unknown here: its deliveries are refused (401) as if it had been deleted.
/// </summary>
public sealed class InboundAuthCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>No principal on a webhook: the connection names the workspace, so it is looked up across workspaces.</summary>
    public async Task<InboundAuth?> FindAsync(IOneInboxDb db, Guid connectionId, CancellationToken cancellationToken)
    {
        if (TryGet(connectionId, out var cached))
            return cached;
        var found = await db.ChannelConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == connectionId && db.Workspaces.Any(w => w.Id == c.WorkspaceId && w.ClosedAt == null))
            .Select(c => new { c.WorkspaceId, c.Type, c.InboundSecret, c.Credentials })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return null;
        var auth = new InboundAuth(connectionId, found.WorkspaceId, found.Type, found.InboundSecret, ChannelCredentials.Deserialize(found.Credentials));
        Remember(connectionId, auth);
        return auth;
    }

    public bool TryGet(Guid connectionId, out InboundAuth auth)
    {
        if (_entries.TryGetValue(connectionId, out var entry) && entry.Expires > clock.GetUtcNow())
        {
            auth = entry.Auth;
            return true;
        }
        auth = null!;
        return false;
    }

    public void Remember(Guid connectionId, InboundAuth auth)
    {
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        _entries[connectionId] = new Entry(auth, clock.GetUtcNow() + Lifetime);
    }

    public void Forget(Guid connectionId) => _entries.TryRemove(connectionId, out _);

    private sealed record Entry(InboundAuth Auth, DateTimeOffset Expires);
}

/// <param name="Secret">The connection's inbound secret (Telegram's secret_token, the API channel's bearer token, WhatsApp's verify token).</param>
/// <param name="Credentials">Its decrypted credentials (WhatsApp's app secret keys the signature).</param>
public sealed record InboundAuth(Guid ConnectionId, Guid WorkspaceId, ChannelType Channel, string Secret, IReadOnlyDictionary<string, string> Credentials);
