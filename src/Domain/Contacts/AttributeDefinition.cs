using System.Globalization;
using System.Text.RegularExpressions;
using OneInbox.Domain.Common;

namespace OneInbox.Domain.Contacts;

public enum AttributeType
{
    Text = 0,
    Number = 1,
    Date = 2,
    Boolean = 3,

    /// <summary>One of a fixed set of options.</summary>
    List = 4,
}

/// <summary>
/// A custom contact field the workspace defines (plan, customer number, renewal date). Contacts may only
/// carry attributes that are defined, with values of the defined type.
/// </summary>
public sealed partial class AttributeDefinition : TenantEntity
{
    public const int MaxKeyLength = 50;
    public const int MaxLabelLength = 100;
    public const int MaxOptions = 100;
    public const int MaxTextValueLength = 1000;

    private List<string> _options = [];

    private AttributeDefinition(string key, string label, AttributeType type, DateTimeOffset createdAt)
    {
        Key = key;
        Label = label;
        Type = type;
        CreatedAt = createdAt;
    }

    /// <summary>The name used in the API and in templates: lower case letters, digits and underscores.</summary>
    public string Key { get; private set; }

    public string Label { get; private set; }

    public AttributeType Type { get; private set; }

    /// <summary>The allowed values of a List attribute.</summary>
    public IReadOnlyList<string> Options => _options;

    public DateTimeOffset CreatedAt { get; private set; }

    public static AttributeDefinition Create(string key, string label, AttributeType type, IEnumerable<string> options, TimeProvider clock)
    {
        if (!KeyPattern().IsMatch(key))
            throw new DomainException("attribute.key", $"An attribute key has 1 to {MaxKeyLength} lower case letters, digits or underscores, starting with a letter.");
        var trimmedLabel = label.Trim();
        if (trimmedLabel.Length is 0 or > MaxLabelLength)
            throw new DomainException("attribute.label", $"An attribute label has 1 to {MaxLabelLength} characters.");
        var list = options.Select(o => o.Trim()).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (type == AttributeType.List && list.Count == 0)
            throw new DomainException("attribute.options", "A list attribute needs at least one option.");
        if (type != AttributeType.List && list.Count > 0)
            throw new DomainException("attribute.options", "Only a list attribute has options.");
        if (list.Count > MaxOptions)
            throw new DomainException("attribute.options", $"A list attribute has at most {MaxOptions} options.");
        return new AttributeDefinition(key, trimmedLabel, type, clock.GetUtcNow()) { _options = list };
    }

    /// <summary>
    /// Checks a value against the type and returns its canonical text (invariant numbers, ISO dates,
    /// true/false), so equal values compare equal in filters. Null when the value does not fit.
    /// </summary>
    public string? Canonical(string raw)
    {
        var value = raw.Trim();
        return Type switch
        {
            AttributeType.Text => value.Length is > 0 and <= MaxTextValueLength ? value : null,
            AttributeType.Number => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture) : null,
            AttributeType.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            AttributeType.Boolean => bool.TryParse(value, out var flag) ? (flag ? "true" : "false") : null,
            AttributeType.List => _options.Contains(value, StringComparer.Ordinal) ? value : null,
            _ => null,
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,49}$")]
    private static partial Regex KeyPattern();
}
