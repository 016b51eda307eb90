using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cronos;
using OneInbox.Domain.Flows;

namespace OneInbox.Workflows.Triggers;

/// <summary>Something that may start a flow in a conversation.</summary>
/// <param name="Type">MessageReceived, ConversationCreated, ConversationResolved or Manual.</param>
/// <param name="ContactRestricted">The contact restricted processing or objected: automation must not touch them.</param>
public sealed record TriggerEvent(
    string Type,
    string? ChannelType = null,
    Guid? ConnectionId = null,
    bool FirstMessage = false,
    string? Text = null,
    bool ContactRestricted = false);

/// <summary>
/// Chooses the one flow an event starts: among the indexed triggers of active versions, those whose filter
/// matches, highest priority first (ties: the flow created first). Filters are parsed once per version.
/// </summary>
public sealed class TriggerMatcher
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<Guid, Func<TriggerEvent, bool>> _filters = new();

    public FlowTrigger? Select(IEnumerable<FlowTrigger> triggers, TriggerEvent e)
    {
        if (e.ContactRestricted)
            return null;
        return triggers
            .Where(t => t.Type == e.Type)
            .OrderByDescending(t => t.Priority)
            .ThenBy(t => t.FlowId)
            .FirstOrDefault(t => _filters.GetOrAdd(t.FlowVersionId, static (_, trigger) => Compile(trigger.Type, trigger.Filter), t)(e));
    }

    /// <summary>The next time a schedule trigger fires after <paramref name="after"/>; null when it never will.</summary>
    public static DateTimeOffset? NextOccurrence(FlowTrigger trigger, DateTimeOffset after)
    {
        using var filter = JsonDocument.Parse(trigger.Filter);
        var root = filter.RootElement;
        var cron = Text(root, "cron") ?? throw new InvalidOperationException("A schedule trigger has no cron expression.");
        var zone = Text(root, "timeZone") is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : TimeZoneInfo.Utc;
        var format = cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.Parse(cron, format).GetNextOccurrence(after, zone);
    }

    internal static Func<TriggerEvent, bool> Compile(string type, string filterJson)
    {
        if (type != "MessageReceived")
            return static _ => true;
        using var filter = JsonDocument.Parse(filterJson);
        var root = filter.RootElement;
        var channels = Strings(root, "channelTypes").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var connections = Strings(root, "connectionIds").Select(c => Guid.TryParse(c, out var g) ? g : Guid.Empty).ToHashSet();
        var firstOnly = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("firstMessageOnly", out var f) && f.ValueKind == JsonValueKind.True;
        var keywords = Strings(root, "keywords").Where(k => k.Length > 0).ToList();
        var pattern = Text(root, "regex") is { Length: > 0 } r ? Pattern(r) : null;

        return e =>
        {
            if (channels.Count > 0 && (e.ChannelType is null || !channels.Contains(e.ChannelType)))
                return false;
            if (connections.Count > 0 && (e.ConnectionId is not { } c || !connections.Contains(c)))
                return false;
            if (firstOnly && !e.FirstMessage)
                return false;
            var text = e.Text ?? string.Empty;
            try
            {
                return (keywords.Count == 0 || ContainsKeyword(text, keywords)) && (pattern is null || pattern.IsMatch(text));
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern must not stall the message path; it simply does not match.
                return false;
            }
        };
    }

    /// <summary>
    /// Whether the text holds one of the keywords as a whole word, in any case. Keywords are literal, so this is a linear
    /// scan with nothing to time out: as a regex with a match timeout, a busy machine ran out of the budget and the
    /// message silently went to another flow (2 of 500 in a 3-node benchmark).
    /// </summary>
    internal static bool ContainsKeyword(string text, IReadOnlyList<string> keywords)
    {
        foreach (var keyword in keywords)
        {
            for (var at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = text.IndexOf(keyword, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                var end = at + keyword.Length;
                if ((at == 0 || !IsWordCharacter(text[at - 1])) && (end == text.Length || !IsWordCharacter(text[end])))
                    return true;
            }
        }
        return false;
    }

    /// <summary>What a regex's \w matches: letters, non-spacing marks, decimal digits and connector punctuation.</summary>
    private static bool IsWordCharacter(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

    /// <summary>
    /// An admin's pattern runs in linear time (no backtracking, so no timeout to run out on a busy machine) where .NET
    /// can; a pattern that needs backtracking (lookarounds, backreferences) keeps a time budget against catastrophic input.
    /// </summary>
    private static Regex Pattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexBudget);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim())
            : [];
}
