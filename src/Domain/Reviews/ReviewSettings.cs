using OneInbox.Domain.Common;

namespace OneInbox.Domain.Reviews;

/// <summary>
/// A workspace's choices for human review: the phrases by which a customer contests in the chat, how soon a case is
/// decided, what the customer is told when it opens and when it closes (Liquid over <c>case</c>), and the overturn
/// share from which a flow's decision is flagged to its admins.
/// </summary>
public sealed class ReviewSettings : TenantEntity
{
    public const int DefaultDueDays = 7;
    public const int MaxPhrases = 20;
    public const int MaxPhraseLength = 100;
    public const int MaxMessageLength = 1000;
    public const double DefaultFlagShare = 0.5;

    public static readonly IReadOnlyList<string> DefaultPhrases = ["human review", "talk to a human about this decision"];

    public const string DefaultOpenedMessage =
        "A person will review the automated decision you contested (case {{ case.reference }}). You will have our answer by {{ case.dueDate }}.";

    public const string DefaultUpheldMessage =
        "We reviewed the automated decision you contested (case {{ case.reference }}) and it stands: {{ case.reason }}";

    public const string DefaultOverturnedMessage =
        "We reviewed the automated decision you contested (case {{ case.reference }}) and corrected it: {{ case.reason }}";

    private ReviewSettings()
    {
        Phrases = [.. DefaultPhrases];
        DueDays = DefaultDueDays;
        OpenedMessage = DefaultOpenedMessage;
        UpheldMessage = DefaultUpheldMessage;
        OverturnedMessage = DefaultOverturnedMessage;
        FlagShare = DefaultFlagShare;
    }

    public List<string> Phrases { get; private set; }

    public int DueDays { get; private set; }

    public string OpenedMessage { get; private set; }

    public string UpheldMessage { get; private set; }

    public string OverturnedMessage { get; private set; }

    /// <summary>A significant node overturned in more than this share of its decided cases (at least two) is flagged.</summary>
    public double FlagShare { get; private set; }

    public static ReviewSettings Defaults() => new();

    /// <summary>Whether the customer's message asks for a human review: it contains one of the phrases, whatever the case.</summary>
    public bool IsContest(string? text) =>
        !string.IsNullOrWhiteSpace(text) && Phrases.Any(p => text.Contains(p, StringComparison.OrdinalIgnoreCase));

    public void Change(IReadOnlyList<string>? phrases, int? dueDays, string? openedMessage, string? upheldMessage, string? overturnedMessage, double? flagShare)
    {
        if (phrases is not null)
        {
            var cleaned = phrases.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (cleaned.Count is 0 or > MaxPhrases || cleaned.Any(p => p.Length is < 3 or > MaxPhraseLength))
                throw new DomainException("review.phrases", $"Give 1 to {MaxPhrases} phrases of 3 to {MaxPhraseLength} characters.");
            Phrases = cleaned;
        }
        if (dueDays is { } days)
        {
            if (days is < 1 or > ReviewCase.MaxDays)
                throw new DomainException("review.days", $"A review is due within 1 to {ReviewCase.MaxDays} days.");
            DueDays = days;
        }
        OpenedMessage = Text(openedMessage, OpenedMessage);
        UpheldMessage = Text(upheldMessage, UpheldMessage);
        OverturnedMessage = Text(overturnedMessage, OverturnedMessage);
        if (flagShare is { } share)
        {
            if (share is <= 0 or > 1)
                throw new DomainException("review.flagShare", "The flag share is above 0 and at most 1.");
            FlagShare = share;
        }
    }

    private static string Text(string? value, string current)
    {
        if (value is null)
            return current;
        var text = value.Trim();
        return text.Length is 0 or > MaxMessageLength
            ? throw new DomainException("review.message", $"A message to the customer has 1 to {MaxMessageLength} characters.")
            : text;
    }
}
