namespace OneInbox.Application.Retention;

/// <summary>What one purge of a workspace deleted, and how long it took.</summary>
public sealed record PurgeReport(
    Guid WorkspaceId, int Messages, int Files, int JournalEntries, int ProcessedPayloads, int AuditEvents,
    bool Held, double ElapsedMs, DateTimeOffset FinishedAt)
{
    public const string AuditAction = "retention.purged";

    /// <summary>The audit event's details: counts and duration only, never what was deleted.</summary>
    public string Details() =>
        $"messages={Messages};files={Files};journal={JournalEntries};payloads={ProcessedPayloads};audit={AuditEvents};held={(Held ? "workspace" : "no")};ms={ElapsedMs:0}";
}
