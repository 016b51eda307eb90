using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneInbox.Workflows.Expressions;

/// <summary>
/// The loose value rules of flow expressions: customers type text, so "3" compares as a number with 3,
/// string equality ignores case, and anything empty is false.
/// </summary>
public static class Values
{
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0 && !s.Equals("false", StringComparison.OrdinalIgnoreCase),
        _ => true,
    };

    public static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case double d:
                number = d;
                return true;
            case int i:
                number = i;
                return true;
            case long l:
                number = l;
                return true;
            case decimal m:
                number = (double)m;
                return true;
            case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                number = parsed;
                return true;
            default:
                number = 0;
                return false;
        }
    }

    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        JsonNode node => node.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static new bool Equals(object? left, object? right)
    {
        if (left is null || right is null)
            return left is null && right is null || Text(left ?? right).Length == 0;
        if (left is bool || right is bool)
            return Truthy(left) == Truthy(right);
        if ((left is double || right is double) && TryNumber(left, out var l) && TryNumber(right, out var r))
            return l.Equals(r);
        return string.Equals(Text(left).Trim(), Text(right).Trim(), StringComparison.OrdinalIgnoreCase);
    }

    public static int Compare(object? left, object? right)
    {
        if (TryNumber(left, out var l) && TryNumber(right, out var r))
            return l.CompareTo(r);
        return string.Compare(Text(left), Text(right), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A member of an object value (json variables, nested dictionaries); null when absent.</summary>
    public static object? Member(object? value, string name) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map.TryGetValue(name, out var v) ? v : null,
        JsonObject obj => obj.TryGetPropertyValue(name, out var node) ? FromNode(node) : null,
        JsonArray array when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => FromNode(array[i]),
        _ => null,
    };

    public static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value => FromJson(JsonSerializer.SerializeToElement(value)),
        _ => node,
    };

    /// <summary>Any stored value back to the kinds expressions work with (strings, doubles, booleans, JSON objects).</summary>
    public static object? Normalize(object? value) => value switch
    {
        JsonElement element => FromJson(element),
        JsonValue node => FromNode(node),
        _ => value,
    };

    /// <summary>Turns a JSON value read from storage back into the value kinds expressions work with.</summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => (object?)element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object or JsonValueKind.Array => JsonNode.Parse(element.GetRawText()),
        _ => null,
    };
}
