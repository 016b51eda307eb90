using FluentValidation;

namespace OneInbox.Application.Common;

public static class EnumRules
{
    /// <summary>An optional query value naming a member of <typeparamref name="TEnum"/> (any case; numbers are refused).</summary>
    public static IRuleBuilderOptions<T, string?> IsNameOf<T, TEnum>(this IRuleBuilder<T, string?> rule)
        where TEnum : struct, Enum =>
        rule.Must(s => s is null || (Enum.TryParse<TEnum>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(s[0])))
            .WithMessage("Must be one of: " + string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant())) + ".");
}
