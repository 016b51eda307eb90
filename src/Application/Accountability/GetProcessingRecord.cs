using System.Globalization;
using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Application.Retention;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Privacy;
using OneInbox.Domain.Reviews;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Accountability;

public sealed record ProcessingRecordDto(
    Guid WorkspaceId, string Workspace, DateTimeOffset GeneratedAt,
    IReadOnlyList<ProcessingChannelDto> Channels,
    IReadOnlyList<DataCategoryDto> DataCategories,
    RetentionSettingsDto Retention,
    IReadOnlyList<AutomatedDecisionDto> AutomatedDecisions,
    EncryptionStateDto Encryption,
    PrivacyRequestsStateDto PrivacyRequests,
    RecipientsDto Recipients);

/// <param name="Provider">Who receives and delivers the messages of the channel (a recipient in the record's sense).</param>
public sealed record ProcessingChannelDto(string Type, string Name, string Provider, DateTimeOffset ConnectedAt, DateTimeOffset? LastInboundAt);

public sealed record DataCategoryDto(string Category, string Contains, long Records);

public sealed record AutomatedDecisionDto(
    Guid FlowId, string Flow, int Version, string Trigger, IReadOnlyList<string> SignificantDecisions, int ReviewsContested, int ReviewsOverturned);

public sealed record EncryptionStateDto(string MessageTexts, string Secrets, string Attachments, string Exports, string Erasure);

public sealed record PrivacyRequestsStateDto(int Open, int Overdue, IReadOnlyDictionary<string, int> OpenByType, int ActiveLegalHolds);

public sealed record RecipientsDto(IReadOnlyDictionary<string, int> MembersByRole, int IntegrationClients);

/// <summary>
/// What the workspace processes, generated from what is configured and stored: channels and their providers, the
/// categories of personal data with counts, retention, the flows that make automated decisions, the encryption
/// state, open privacy requests and who has access. The basis of the business's GDPR art. 30 record, not the record
/// itself (purposes and legal bases are the business's to write).
/// </summary>
public sealed record GetProcessingRecord : IQuery<ProcessingRecordDto>;

public sealed class GetProcessingRecordHandler(IOneInboxDb db, WorkspaceContext workspace, ChannelModules modules, ISender sender, TimeProvider clock)
    : IQueryHandler<GetProcessingRecord, ProcessingRecordDto>
{
    public async ValueTask<ProcessingRecordDto> Handle(GetProcessingRecord query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ws = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspace.WorkspaceId, cancellationToken);
        var channels = (await db.ChannelConnections.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken))
            .Select(c => new ProcessingChannelDto(c.Type.ToString().ToLowerInvariant(), c.Name, Provider(c), c.CreatedAt, c.LastInboundAt)).ToList();

        var attributeKeys = await db.AttributeDefinitions.AsNoTracking().Select(a => a.Key).ToListAsync(cancellationToken);
        DataCategoryDto[] categories =
        [
            new("Contacts", "names, phone numbers, emails, company, language, tags" + (attributeKeys.Count > 0 ? ", attributes: " + string.Join(", ", attributeKeys.Order()) : string.Empty),
                await db.Contacts.LongCountAsync(cancellationToken)),
            new("Chat app accounts", "the person's id and username on each connected chat app", await db.ChannelIdentities.LongCountAsync(cancellationToken)),
            new("Messages", "what customers and the business wrote, with time and delivery status", await db.Messages.LongCountAsync(cancellationToken)),
            new("Files", "images, documents, audio and video sent in conversations", await db.Attachments.LongCountAsync(cancellationToken)),
            new("Notes", "what the team writes about a person", await db.ContactNotes.LongCountAsync(cancellationToken)),
            new("Automated decisions", "each step flows took in conversations: inputs, outcome, explanation", await db.FlowJournal.LongCountAsync(cancellationToken)),
            new("Human reviews", "contested automated decisions, the customer's words, the outcome", await db.ReviewCases.LongCountAsync(cancellationToken)),
            new("Privacy requests", "requests about personal data and how they were answered", await db.PrivacyRequests.LongCountAsync(cancellationToken)),
        ];

        var published = await db.Flows.AsNoTracking().Where(f => f.PublishedVersion != null).ToListAsync(cancellationToken);
        var versions = await db.FlowVersions.AsNoTracking().Where(v => published.Select(f => f.Id).Contains(v.FlowId)).ToListAsync(cancellationToken);
        var reviewCounts = await db.ReviewCases.AsNoTracking().Where(r => r.FlowId != null)
            .Select(r => new { r.FlowId, r.FlowVersion, r.Status }).ToListAsync(cancellationToken);
        var decisions = published.OrderBy(f => f.Name).Select(f =>
        {
            var version = versions.First(v => v.FlowId == f.Id && v.Version == f.PublishedVersion);
            // A published version always parses (publishing checks it); an empty graph would list no decision.
            var graph = FlowGraph.TryParse(version.Graph, out var parsed, out _) ? parsed : new FlowGraph();
            var significant = (graph.Nodes ?? []).Where(n => n?.Decision is { Significant: true }).Select(n => $"{n!.Id}: {n.Decision!.Explanation}").ToList();
            var reviews = reviewCounts.Where(r => r.FlowId == f.Id && r.FlowVersion == version.Version).ToList();
            return new AutomatedDecisionDto(f.Id, f.Name, version.Version, graph.Trigger?.Type ?? "Manual", significant,
                reviews.Count, reviews.Count(r => r.Status == ReviewStatus.Overturned));
        }).ToList();

        var open = await db.PrivacyRequests.AsNoTracking()
            .Where(r => r.Status == PrivacyRequestStatus.Received || r.Status == PrivacyRequestStatus.InProgress)
            .Select(r => new { r.Type, r.DueAt }).ToListAsync(cancellationToken);
        var holds = await db.LegalHolds.AsNoTracking().CountAsync(h => h.ReleasedAt == null, cancellationToken);
        var roles = await db.Members.AsNoTracking().GroupBy(m => m.Role).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var clients = await db.IntegrationClients.AsNoTracking().CountAsync(c => c.RevokedAt == null, cancellationToken);

        return new ProcessingRecordDto(
            ws.Id, ws.Name, now, channels, categories, await sender.Send(new GetRetentionSettings(), cancellationToken), decisions,
            new EncryptionStateDto(
                "AES-256-GCM under a key of each contact (erasing the contact destroys the key); journal inputs, explanations and review texts likewise",
                "channel credentials and webhook secrets AES-256-GCM under the installation's key ring",
                "stored as files on the installation's storage, not encrypted at rest by OneInbox (use an encrypted volume); deleted with the person",
                "sealed under the person's key; deleted after 7 days",
                "crypto-shredding: the contact's key file is destroyed, then rows and files are deleted"),
            new PrivacyRequestsStateDto(open.Count, open.Count(r => r.DueAt < now),
                open.GroupBy(r => Camel(r.Type.ToString())).ToDictionary(g => g.Key, g => g.Count()), holds),
            new RecipientsDto(roles.ToDictionary(r => Camel(r.Key.ToString()), r => r.Count), clients));
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The channel module's provider; a connection with a callback URL names its host too.</summary>
    private string Provider(ChannelConnection c)
    {
        var provider = modules.Find(c.Type)?.Description.Provider ?? c.Type.ToString();
        return c.CallbackUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{provider} at {uri.Host}" : provider;
    }
}

/// <summary>The same record as a Markdown document to file with the business's records.</summary>
public static class ProcessingRecordMarkdown
{
    public static string Render(ProcessingRecordDto record)
    {
        var md = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        md.AppendLine(culture, $"# Record of processing: {record.Workspace}").AppendLine()
            .AppendLine(culture, $"Generated {record.GeneratedAt:yyyy-MM-dd HH:mm} UTC by OneInbox from the workspace's configuration and data. Purposes and legal bases are the business's to add.").AppendLine()
            .AppendLine("## Channels and their providers").AppendLine().AppendLine("| channel | name | provider | connected |").AppendLine("|---|---|---|---|");
        foreach (var c in record.Channels)
            md.AppendLine(culture, $"| {c.Type} | {Cell(c.Name)} | {c.Provider} | {c.ConnectedAt:yyyy-MM-dd} |");
        md.AppendLine().AppendLine("## Categories of personal data").AppendLine().AppendLine("| category | contains | records |").AppendLine("|---|---|---:|");
        foreach (var d in record.DataCategories)
            md.AppendLine(culture, $"| {d.Category} | {Cell(d.Contains)} | {d.Records:N0} |");
        var r = record.Retention;
        md.AppendLine().AppendLine("## Retention").AppendLine()
            .AppendLine(culture, $"- Messages and files: {(r.MessageDays is { } days ? $"{days} days" : $"until deleted ({r.KeepMessagesReason})")}")
            .AppendLine(culture, $"- Automation journal: {r.JournalDays} days")
            .AppendLine(culture, $"- Exports: {r.ExportDays} days")
            .AppendLine(culture, $"- Processed channel payloads: {r.ProcessedPayloadDays} days")
            .AppendLine(culture, $"- Audit events: {r.AuditDays} days");
        md.AppendLine().AppendLine("## Automated decisions").AppendLine();
        if (record.AutomatedDecisions.Count == 0)
            md.AppendLine("No published flow.");
        foreach (var a in record.AutomatedDecisions)
        {
            md.AppendLine(culture, $"- **{Cell(a.Flow)}** v{a.Version}, started by {a.Trigger}; contested {a.ReviewsContested} times, overturned {a.ReviewsOverturned}.");
            foreach (var s in a.SignificantDecisions)
                md.AppendLine(culture, $"  - significant decision {Cell(s)}");
        }
        var e = record.Encryption;
        md.AppendLine().AppendLine("## Security").AppendLine()
            .AppendLine(culture, $"- Message texts: {e.MessageTexts}").AppendLine(culture, $"- Secrets: {e.Secrets}")
            .AppendLine(culture, $"- Attachments: {e.Attachments}").AppendLine(culture, $"- Exports: {e.Exports}").AppendLine(culture, $"- Erasure: {e.Erasure}");
        var p = record.PrivacyRequests;
        md.AppendLine().AppendLine("## Privacy requests").AppendLine()
            .AppendLine(culture, $"{p.Open} open ({p.Overdue} overdue){(p.OpenByType.Count > 0 ? ": " + string.Join(", ", p.OpenByType.Select(t => $"{t.Value} {t.Key}")) : string.Empty)}; {p.ActiveLegalHolds} active legal holds.");
        md.AppendLine().AppendLine("## Who has access").AppendLine()
            .AppendLine(culture, $"Members: {string.Join(", ", record.Recipients.MembersByRole.Select(m => $"{m.Value} {m.Key}"))}; integration clients: {record.Recipients.IntegrationClients}.");
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
