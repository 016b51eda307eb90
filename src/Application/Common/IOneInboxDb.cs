using Microsoft.EntityFrameworkCore;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Common;

/// <summary>
/// The unit of work the use cases read and write through. Tenant-owned sets are already filtered to the
/// current workspace, and rows added to them are stamped with it on save.
/// </summary>
public interface IOneInboxDb
{
    DbSet<Workspace> Workspaces { get; }

    DbSet<Contact> Contacts { get; }

    DbSet<ChannelConnection> ChannelConnections { get; }

    DbSet<InboundEnvelope> InboundEnvelopes { get; }

    DbSet<OutboxMessage> OutboxMessages { get; }

    DbSet<WorkspaceMember> Members { get; }

    DbSet<Invitation> Invitations { get; }

    DbSet<IntegrationClient> IntegrationClients { get; }

    /// <summary>Not tenant-filtered (sign-in failures have no workspace): always filter by workspace explicitly.</summary>
    DbSet<AuditEvent> AuditEvents { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
