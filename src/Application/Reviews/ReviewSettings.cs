using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

public sealed record ReviewSettingsDto(
    IReadOnlyList<string> Phrases, int DueDays, string OpenedMessage, string UpheldMessage, string OverturnedMessage, double FlagShare);

public sealed record GetReviewSettings : IQuery<ReviewSettingsDto>;

public sealed class GetReviewSettingsHandler(IOneInboxDb db) : IQueryHandler<GetReviewSettings, ReviewSettingsDto>
{
    public async ValueTask<ReviewSettingsDto> Handle(GetReviewSettings query, CancellationToken cancellationToken) =>
        (await db.GetReviewSettingsAsync(cancellationToken)).ToDto();
}

/// <summary>The phrases customers contest by, the days to decide (1-30), the three messages the customer gets, the flag share.</summary>
public sealed record UpdateReviewSettings(
    IReadOnlyList<string>? Phrases, int? DueDays, string? OpenedMessage, string? UpheldMessage, string? OverturnedMessage, double? FlagShare)
    : ICommand<ReviewSettingsDto>;

public sealed class UpdateReviewSettingsValidator : AbstractValidator<UpdateReviewSettings>
{
    public UpdateReviewSettingsValidator()
    {
        RuleFor(c => c.DueDays).InclusiveBetween(1, ReviewCase.MaxDays).WithMessage($"A review is due within 1 to {ReviewCase.MaxDays} days.");
        RuleFor(c => c.Phrases).Must(p => p is null || (p.Count is > 0 and <= ReviewSettings.MaxPhrases && p.All(x => x?.Trim().Length is >= 3 and <= ReviewSettings.MaxPhraseLength)))
            .WithMessage($"Give 1 to {ReviewSettings.MaxPhrases} phrases of 3 to {ReviewSettings.MaxPhraseLength} characters.");
        RuleFor(c => c.OpenedMessage).Must(Parses).WithMessage("The message is not valid Liquid.").MaximumLength(ReviewSettings.MaxMessageLength);
        RuleFor(c => c.UpheldMessage).Must(Parses).WithMessage("The message is not valid Liquid.").MaximumLength(ReviewSettings.MaxMessageLength);
        RuleFor(c => c.OverturnedMessage).Must(Parses).WithMessage("The message is not valid Liquid.").MaximumLength(ReviewSettings.MaxMessageLength);
        RuleFor(c => c.FlagShare).GreaterThan(0).LessThanOrEqualTo(1);
    }

    private static bool Parses(string? text) => text is null || LiquidTemplates.TryParse(text, out _, out _);
}

public sealed class UpdateReviewSettingsHandler(IOneInboxDb db, IAuditLog audit) : ICommandHandler<UpdateReviewSettings, ReviewSettingsDto>
{
    public async ValueTask<ReviewSettingsDto> Handle(UpdateReviewSettings command, CancellationToken cancellationToken)
    {
        var settings = await db.ReviewSettings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = ReviewSettings.Defaults();
            db.ReviewSettings.Add(settings);
        }
        settings.Change(command.Phrases, command.DueDays, command.OpenedMessage, command.UpheldMessage, command.OverturnedMessage, command.FlagShare);
        audit.Record("review.settings_changed", null, $"due in {settings.DueDays} days, {settings.Phrases.Count} phrases");
        await db.SaveChangesAsync(cancellationToken);
        return settings.ToDto();
    }
}

internal static class ReviewSettingsMapping
{
    public static ReviewSettingsDto ToDto(this ReviewSettings s) =>
        new(s.Phrases, s.DueDays, s.OpenedMessage, s.UpheldMessage, s.OverturnedMessage, s.FlagShare);
}
