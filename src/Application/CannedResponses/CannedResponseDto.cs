using FluentValidation;
using OneInbox.Domain.CannedResponses;
using OneInbox.Application.Common;

namespace OneInbox.Application.CannedResponses;

public sealed record CannedResponseDto(Guid Id, string ShortCode, string Text, DateTimeOffset UpdatedAt);

internal static class CannedResponseRules
{
    public static CannedResponseDto ToDto(this CannedResponse response) => new(response.Id, response.ShortCode, response.Text, response.UpdatedAt);

    public static IRuleBuilderOptions<T, string> ValidTemplate<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(CannedResponse.MaxTextLength)
            .Must(text => text is null || LiquidTemplates.TryParse(text, out _, out _))
            .WithMessage((command, text) => LiquidTemplates.TryParse(text ?? string.Empty, out _, out var error) ? string.Empty : $"The template does not parse: {error}");

    public static IRuleBuilderOptions<T, string> ValidShortCode<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().Matches("^[A-Za-z0-9_-]{1,50}$").WithMessage("A short code has 1 to 50 letters, digits, dashes or underscores.");
}
