using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

public sealed record PrivacySettingsDto(
    int ResponseDays, string ErasureConfirmation, bool ChatRequests, IReadOnlyList<string> ErasurePhrases, IReadOnlyList<string> AccessPhrases,
    IReadOnlyList<string> StopPhrases)
{
    public static PrivacySettingsDto From(PrivacySettings s) =>
        new(s.ResponseDays, s.ErasureConfirmation, s.ChatRequests, s.ErasurePhrases, s.AccessPhrases, s.StopPhrases);
}

public sealed record GetPrivacySettings : IQuery<PrivacySettingsDto>;

public sealed class GetPrivacySettingsHandler(IOneInboxDb db) : IQueryHandler<GetPrivacySettings, PrivacySettingsDto>
{
    public async ValueTask<PrivacySettingsDto> Handle(GetPrivacySettings query, CancellationToken cancellationToken)
    {
        var settings = await db.GetPrivacySettingsAsync(cancellationToken);
        return PrivacySettingsDto.From(settings);
    }
}

/// <summary>
/// Shortens the response time (never beyond the law's 30 days), changes the erasure confirmation text, or lets customers
/// ask in the chat (and with which phrases).
/// </summary>
public sealed record UpdatePrivacySettings(
    int? ResponseDays, string? ErasureConfirmation, bool? ChatRequests = null, IReadOnlyList<string>? ErasurePhrases = null,
    IReadOnlyList<string>? AccessPhrases = null, IReadOnlyList<string>? StopPhrases = null) : ICommand<PrivacySettingsDto>;

public sealed class UpdatePrivacySettingsValidator : AbstractValidator<UpdatePrivacySettings>
{
    public UpdatePrivacySettingsValidator()
    {
        RuleFor(c => c.ResponseDays).InclusiveBetween(1, PrivacyRequest.MaxDays)
            .WithMessage($"A workspace may answer faster than the law's {PrivacyRequest.MaxDays} days, never slower.");
        RuleFor(c => c.ErasureConfirmation).MaximumLength(1000);
    }
}

public sealed class UpdatePrivacySettingsHandler(IOneInboxDb db, IAuditLog audit) : ICommandHandler<UpdatePrivacySettings, PrivacySettingsDto>
{
    public async ValueTask<PrivacySettingsDto> Handle(UpdatePrivacySettings command, CancellationToken cancellationToken)
    {
        var settings = await db.PrivacySettings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = PrivacySettings.Defaults();
            db.PrivacySettings.Add(settings);
        }
        settings.Change(command.ResponseDays, command.ErasureConfirmation);
        settings.ChangeChat(command.ChatRequests, command.ErasurePhrases, command.AccessPhrases, command.StopPhrases);
        audit.Record("privacy.settings_changed", null, $"response days {settings.ResponseDays}, chat requests {(settings.ChatRequests ? "on" : "off")}");
        await db.SaveChangesAsync(cancellationToken);
        return PrivacySettingsDto.From(settings);
    }
}
