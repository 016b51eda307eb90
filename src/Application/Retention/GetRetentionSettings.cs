using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Retention;

public sealed record LastPurgeDto(DateTimeOffset At, string Details);

public sealed record RetentionSettingsDto(
    int? MessageDays, string? KeepMessagesReason, int JournalDays, int ExportDays, int ProcessedPayloadDays, int AuditDays,
    DateTimeOffset? UpdatedAt, LastPurgeDto? LastPurge);

/// <summary>The workspace's retention settings (defaults when never changed) and its last purge, for the health view.</summary>
public sealed record GetRetentionSettings : IQuery<RetentionSettingsDto>;

public sealed class GetRetentionSettingsHandler(IOneInboxDb db, WorkspaceContext workspace) : IQueryHandler<GetRetentionSettings, RetentionSettingsDto>
{
    public async ValueTask<RetentionSettingsDto> Handle(GetRetentionSettings query, CancellationToken cancellationToken)
    {
        var settings = await db.RetentionSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken)
                       ?? RetentionSettings.Defaults(workspace.WorkspaceId);
        var last = await db.AuditEvents.AsNoTracking()
            .Where(e => e.WorkspaceId == workspace.WorkspaceId && e.Action == PurgeReport.AuditAction)
            .OrderByDescending(e => e.Id)
            .Select(e => new LastPurgeDto(e.OccurredAt, e.Details ?? string.Empty))
            .FirstOrDefaultAsync(cancellationToken);
        return settings.ToDto(last);
    }
}

public static class RetentionMapping
{
    public static RetentionSettingsDto ToDto(this RetentionSettings s, LastPurgeDto? last) =>
        new(s.MessageDays, s.KeepMessagesReason, s.JournalDays, s.ExportDays, s.ProcessedPayloadDays, s.AuditDays, s.UpdatedAt, last);

    public static string Describe(this RetentionSettings s) => string.Create(CultureInfo.InvariantCulture,
        $"messages={(s.MessageDays is { } d ? d + "d" : "until deleted")};journal={s.JournalDays}d;exports={s.ExportDays}d;payloads={s.ProcessedPayloadDays}d;audit={s.AuditDays}d");
}
