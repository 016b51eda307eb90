using OneInbox.Domain.Common;

namespace OneInbox.Domain.Workspaces;

/// <summary>
/// How long a workspace keeps each kind of data (privacy policy §4.3). A workspace without a row keeps the defaults.
/// Messages may be kept "until deleted" (null days) only with a written reason, which the record of processing shows.
/// </summary>
public sealed class RetentionSettings : TenantEntity
{
    public const int DefaultMessageDays = 365;
    public const int DefaultJournalDays = 365;
    public const int DefaultExportDays = 7;
    public const int DefaultProcessedPayloadDays = 7;
    public const int DefaultAuditDays = 730;
    public const int MaxDays = 3650;
    public const int MaxProcessedPayloadDays = 30;
    public const int MaxExportDays = 30;
    public const int MaxReasonLength = 500;

    private RetentionSettings()
    {
    }

    /// <summary>Messages and their attachments; null keeps them until deleted.</summary>
    public int? MessageDays { get; private set; } = DefaultMessageDays;

    /// <summary>Why messages are kept until deleted; required then, empty otherwise.</summary>
    public string? KeepMessagesReason { get; private set; }

    /// <summary>The automation journal (the record of automated decisions).</summary>
    public int JournalDays { get; private set; } = DefaultJournalDays;

    public int ExportDays { get; private set; } = DefaultExportDays;

    /// <summary>Raw provider payloads that became inbox messages, and sent outbox rows.</summary>
    public int ProcessedPayloadDays { get; private set; } = DefaultProcessedPayloadDays;

    public int AuditDays { get; private set; } = DefaultAuditDays;

    public DateTimeOffset? UpdatedAt { get; private set; }

    public Guid? UpdatedBy { get; private set; }

    public static RetentionSettings Defaults(Guid workspaceId)
    {
        var settings = new RetentionSettings();
        settings.BelongTo(workspaceId);
        return settings;
    }

    public void Change(int? messageDays, string? keepMessagesReason, int journalDays, int exportDays, int processedPayloadDays, int auditDays, Guid by, TimeProvider clock)
    {
        var reason = string.IsNullOrWhiteSpace(keepMessagesReason) ? null : keepMessagesReason.Trim();
        if (messageDays is null && reason is null)
            throw new DomainException("retention.reason", "Keeping messages until deleted needs a written reason.");
        if (reason is { Length: > MaxReasonLength })
            throw new DomainException("retention.reason", $"The reason has at most {MaxReasonLength} characters.");
        Require(messageDays ?? 1, MaxDays, "messageDays");
        Require(journalDays, MaxDays, "journalDays");
        Require(exportDays, MaxExportDays, "exportDays");
        Require(processedPayloadDays, MaxProcessedPayloadDays, "processedPayloadDays");
        Require(auditDays, MaxDays, "auditDays");
        MessageDays = messageDays;
        KeepMessagesReason = messageDays is null ? reason : null;
        JournalDays = journalDays;
        ExportDays = exportDays;
        ProcessedPayloadDays = processedPayloadDays;
        AuditDays = auditDays;
        UpdatedAt = clock.GetUtcNow();
        UpdatedBy = by;
    }

    private static void Require(int days, int max, string field)
    {
        if (days < 1 || days > max)
            throw new DomainException("retention." + field, $"{field} is between 1 and {max} days.");
    }
}
