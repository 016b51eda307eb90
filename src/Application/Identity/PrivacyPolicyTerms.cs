namespace OneInbox.Application.Identity;

/// <summary>One published version of the privacy policy and what it changed, in plain words.</summary>
public sealed record PolicyVersionDto(string Version, DateOnly Date, IReadOnlyList<string> Changes);

/// <summary>
/// The privacy policy members accept (WebApi reads it from the embedded text): its current version is the date of its
/// "Last Updated" line, and its history says what each version changed, so that a member asked to accept a new one
/// is shown what is new since the version they accepted.
/// </summary>
public interface IPrivacyPolicyTerms
{
    PolicyVersionDto Current { get; }

    /// <summary>Every version, newest first.</summary>
    IReadOnlyList<PolicyVersionDto> History { get; }
}

public static class PrivacyPolicyTermsExtensions
{
    /// <summary>The versions newer than <paramref name="accepted"/> (all of them when nothing was accepted), newest first.</summary>
    public static IReadOnlyList<PolicyVersionDto> Since(this IPrivacyPolicyTerms terms, string? accepted) =>
        accepted is null
            ? terms.History
            : [.. terms.History.Where(v => string.CompareOrdinal(v.Version, accepted) > 0)];
}
