using System.Collections.Concurrent;
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
        var keywordPattern = keywords.Count == 0
            ? null
            : new Regex(@"(?<!\w)(" + string.Join('|', keywords.Select(Regex.Escape)) + @")(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexBudget);
        var pattern = Text(root, "regex") is { Length: > 0 } r ? new Regex(r, RegexOptions.CultureInvariant, RegexBudget) : null;

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
                return (keywordPattern is null || keywordPattern.IsMatch(text)) && (pattern is null || pattern.IsMatch(text));
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern must not stall the message path; it simply does not match.
                return false;
            }
        };
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim())
            : [];
}
