using OneInbox.Domain.Common;

namespace OneInbox.Domain.Privacy;

/// <summary>A workspace's choices for privacy requests: how fast it answers, and what it tells the person.</summary>
public sealed class PrivacySettings : TenantEntity
{
    public const string DefaultErasureConfirmation = "Your personal data has been deleted, as you asked. This is the last message you will receive from us.";
    public const string DefaultErasureRefusal = "We could not delete all of your data: {reason}.";

    public const int MaxPhrases = 10;
    public const int MaxPhraseLength = 60;

    public static readonly IReadOnlyList<string> DefaultErasurePhrases = ["delete my data"];
    public static readonly IReadOnlyList<string> DefaultAccessPhrases = ["export my data"];
    public static readonly IReadOnlyList<string> DefaultStopPhrases = ["stop"];

    private PrivacySettings(int responseDays, string erasureConfirmation)
    {
        ResponseDays = responseDays;
        ErasureConfirmation = erasureConfirmation;
    }

    /// <summary>Days within which a request is answered: the law's 30, or fewer if the workspace promises it.</summary>
    public int ResponseDays { get; private set; }

    /// <summary>Sent over the person's channel when their erasure is carried out (before their identity goes).</summary>
    public string ErasureConfirmation { get; private set; }

    /// <summary>
    /// Whether customers may ask in the chat: the phrases below, in any conversation and before any flow, start an
    /// erasure or access request (after a confirmation button) or withdraw marketing consent at once ("stop").
    /// </summary>
    public bool ChatRequests { get; private set; }

    public List<string> ErasurePhrases { get; private set; } = [.. DefaultErasurePhrases];

    public List<string> AccessPhrases { get; private set; } = [.. DefaultAccessPhrases];

    public List<string> StopPhrases { get; private set; } = [.. DefaultStopPhrases];

    public static PrivacySettings Defaults() => new(PrivacyRequest.MaxDays, DefaultErasureConfirmation);

    public void ChangeChat(bool? enabled, IReadOnlyList<string>? erasure, IReadOnlyList<string>? access, IReadOnlyList<string>? stop)
    {
        if (enabled is { } on)
            ChatRequests = on;
        ErasurePhrases = Phrases(erasure, ErasurePhrases);
        AccessPhrases = Phrases(access, AccessPhrases);
        StopPhrases = Phrases(stop, StopPhrases);
    }

    /// <summary>
    /// What the customer's message asks, if anything: a phrase of one word must be the whole message ("stop", not "don't
    /// stop"); a longer one may stand anywhere in it. Case and surrounding punctuation do not matter.
    /// </summary>
    public PrivacyRequestType? ChatRequest(string? text, out bool stop)
    {
        stop = false;
        if (!ChatRequests || string.IsNullOrWhiteSpace(text) || text.Length > 500)
            return null;
        var said = text.Trim().Trim('.', '!', '?', ',', ';', ':', '"', '\'').ToLowerInvariant();
        if (StopPhrases.Any(p => Matches(said, p)))
        {
            stop = true;
            return null;
        }
        if (ErasurePhrases.Any(p => Matches(said, p)))
            return PrivacyRequestType.Erasure;
        return AccessPhrases.Any(p => Matches(said, p)) ? PrivacyRequestType.Access : null;
    }

    private static bool Matches(string said, string phrase)
    {
        var wanted = phrase.ToLowerInvariant();
        return wanted.Contains(' ', StringComparison.Ordinal) ? said.Contains(wanted, StringComparison.Ordinal) : said == wanted;
    }

    private static List<string> Phrases(IReadOnlyList<string>? given, List<string> current)
    {
        if (given is null)
            return current;
        var cleaned = given.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return cleaned.Count is 0 or > MaxPhrases || cleaned.Any(p => p.Length > MaxPhraseLength)
            ? throw new DomainException("privacy.phrases", $"Give 1 to {MaxPhrases} phrases of at most {MaxPhraseLength} characters.")
            : cleaned;
    }

    public void Change(int? responseDays, string? erasureConfirmation)
    {
        if (responseDays is { } days)
        {
            if (days is < 1 or > PrivacyRequest.MaxDays)
                throw new DomainException("privacy.days", $"A workspace may answer faster than the law's {PrivacyRequest.MaxDays} days, never slower.");
            ResponseDays = days;
        }
        if (erasureConfirmation is not null)
        {
            var text = erasureConfirmation.Trim();
            if (text.Length is 0 or > 1000)
                throw new DomainException("privacy.confirmation", "The erasure confirmation has 1 to 1000 characters.");
            ErasureConfirmation = text;
        }
    }
}
