using Microsoft.EntityFrameworkCore;
using OneInbox.Domain.CannedResponses;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Privacy;
using OneInbox.Domain.Reviews;
using OneInbox.Domain.Teams;
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

    DbSet<ChannelIdentity> ChannelIdentities { get; }

    DbSet<ContactNote> ContactNotes { get; }

    DbSet<AttributeDefinition> AttributeDefinitions { get; }

    DbSet<Conversation> Conversations { get; }

    DbSet<Message> Messages { get; }

    DbSet<ConversationReadMark> ConversationReadMarks { get; }

    DbSet<Attachment> Attachments { get; }

    DbSet<OutboxMessage> OutboxMessages { get; }

    DbSet<Team> Teams { get; }

    DbSet<Domain.Reports.ReportDelta> ReportDeltas { get; }

    DbSet<Domain.Reports.ReportHour> ReportHours { get; }

    DbSet<Domain.Reports.ReportDuration> ReportDurations { get; }

    DbSet<Domain.Reports.FlowReportDelta> FlowReportDeltas { get; }

    DbSet<Domain.Reports.FlowReportHour> FlowReportHours { get; }

    DbSet<CannedResponse> CannedResponses { get; }

    DbSet<ChannelConnection> ChannelConnections { get; }

    DbSet<InboundEnvelope> InboundEnvelopes { get; }

    DbSet<WorkspaceMember> Members { get; }

    DbSet<Invitation> Invitations { get; }

    DbSet<IntegrationClient> IntegrationClients { get; }

    /// <summary>Not tenant-filtered (sign-in failures have no workspace): always filter by workspace explicitly.</summary>
    DbSet<AuditEvent> AuditEvents { get; }

    DbSet<FlowDefinition> Flows { get; }

    DbSet<FlowVersion> FlowVersions { get; }

    DbSet<FlowTrigger> FlowTriggers { get; }

    DbSet<FlowInstance> FlowInstances { get; }

    DbSet<FlowJournalEntry> FlowJournal { get; }

    DbSet<FlowIncident> FlowIncidents { get; }

    DbSet<FlowTimer> FlowTimers { get; }

    DbSet<LegalHold> LegalHolds { get; }

    DbSet<PrivacyRequest> PrivacyRequests { get; }

    DbSet<PrivacySettings> PrivacySettings { get; }

    DbSet<PrivacyExport> PrivacyExports { get; }

    DbSet<RetentionSettings> RetentionSettings { get; }

    DbSet<ReviewCase> ReviewCases { get; }

    DbSet<ReviewSettings> ReviewSettings { get; }

    /// <summary>
    /// The rows of type <typeparamref name="T"/> this unit of work holds, as they are in memory, without the
    /// scan for changes that <c>DbSet.Local</c> makes (which costs a pass over every tracked row).
    /// </summary>
    IReadOnlyList<T> Tracked<T>() where T : class;

    /// <summary>
    /// Until disposed, the unit of work's reads see one snapshot of the database: reads that must agree with each other
    /// share it. Every report reads its compacted hours and then the deltas not folded yet, and the compactor moves deltas
    /// into hours in one commit; without a snapshot a fold between the two reads hides the counts from both.
    /// </summary>
    Task<IAsyncDisposable> ReadSnapshotAsync(CancellationToken cancellationToken);

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
