using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Application.Privacy;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Retention;

/// <summary>An Owner sets how long the workspace keeps each kind of data. The change is audited with old and new values.</summary>
public sealed record UpdateRetentionSettings(
    int? MessageDays, string? KeepMessagesReason, int JournalDays, int ExportDays, int ProcessedPayloadDays, int AuditDays)
    : ICommand<RetentionSettingsDto>;

public sealed class UpdateRetentionSettingsValidator : AbstractValidator<UpdateRetentionSettings>
{
    public UpdateRetentionSettingsValidator()
    {
        RuleFor(c => c.MessageDays).InclusiveBetween(1, RetentionSettings.MaxDays);
        RuleFor(c => c.KeepMessagesReason).NotEmpty().When(c => c.MessageDays is null)
            .WithMessage("Keeping messages until deleted needs a written reason.");
        RuleFor(c => c.KeepMessagesReason).MaximumLength(RetentionSettings.MaxReasonLength);
        RuleFor(c => c.JournalDays).InclusiveBetween(1, RetentionSettings.MaxDays);
        RuleFor(c => c.ExportDays).InclusiveBetween(1, RetentionSettings.MaxExportDays);
        RuleFor(c => c.ProcessedPayloadDays).InclusiveBetween(1, RetentionSettings.MaxProcessedPayloadDays);
        RuleFor(c => c.AuditDays).InclusiveBetween(1, RetentionSettings.MaxDays);
    }
}

public sealed class UpdateRetentionSettingsHandler(IOneInboxDb db, WorkspaceContext workspace, ICurrentUser user, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<UpdateRetentionSettings, RetentionSettingsDto>
{
    public async ValueTask<RetentionSettingsDto> Handle(UpdateRetentionSettings command, CancellationToken cancellationToken)
    {
        var owner = user.RequireOwner("Only an Owner changes how long the workspace keeps data.");
        var settings = await db.RetentionSettings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = RetentionSettings.Defaults(workspace.WorkspaceId);
            db.RetentionSettings.Add(settings);
        }
        var before = settings.Describe();
        settings.Change(command.MessageDays, command.KeepMessagesReason, command.JournalDays, command.ExportDays,
            command.ProcessedPayloadDays, command.AuditDays, owner, clock);
        audit.Record("retention.changed", workspace.WorkspaceId.ToString(), $"{before} -> {settings.Describe()}");
        await db.SaveChangesAsync(cancellationToken);
        return settings.ToDto(null);
    }
}
