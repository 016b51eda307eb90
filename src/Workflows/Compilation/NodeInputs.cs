using System.Globalization;
using System.Text.Json;
using System.Xml;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Expressions;

namespace OneInbox.Workflows.Compilation;

/// <summary>
/// Typed reading of one node's inputs at compile time. Every reader reports a problem against the node and
/// input instead of throwing, so validation lists all that is wrong at once.
/// </summary>
public sealed class NodeInputs(FlowNode node, IReadOnlyDictionary<string, string> variables, List<FlowProblem> problems)
{
    private readonly Dictionary<string, JsonElement> _inputs = node.Inputs ?? [];

    public string NodeId => node.Id;

    public IReadOnlyDictionary<string, string> Variables => variables;

    public void Problem(string? field, string message) => problems.Add(new FlowProblem(node.Id, field, message));

    private JsonElement? Raw(string name) =>
        _inputs.TryGetValue(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;

    public bool Has(string name) => Raw(name) is { } v && !(v.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetString()));

    public string? Text(string name, bool required = false, string? defaultValue = null)
    {
        if (Raw(name) is not { } v)
        {
            if (required)
                Problem(name, $"'{name}' is required.");
            return defaultValue;
        }
        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        };
        if (text is null)
        {
            Problem(name, $"'{name}' must be text.");
            return defaultValue;
        }
        if (required && string.IsNullOrWhiteSpace(text))
            Problem(name, $"'{name}' is required.");
        return text;
    }

    public CompiledTemplate? Template(string name, bool required = false)
    {
        var text = Text(name, required);
        if (text is null)
            return null;
        try
        {
            return CompiledTemplate.Compile(text);
        }
        catch (ExpressionException e)
        {
            Problem(name, e.Message);
            return null;
        }
    }

    public CompiledExpression? Expression(string name, bool required = false)
    {
        var text = Text(name, required);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            return ExpressionCompiler.Compile(text);
        }
        catch (ExpressionException e)
        {
            Problem(name, e.Message);
            return null;
        }
    }

    public int WholeNumber(string name, int defaultValue, int min, int max)
    {
        if (Raw(name) is not { } v)
            return defaultValue;
        if ((v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
            || (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out i)))
        {
            if (i >= min && i <= max)
                return i;
        }
        Problem(name, $"'{name}' must be a whole number from {min} to {max}.");
        return defaultValue;
    }

    public bool Bool(string name, bool defaultValue)
    {
        if (Raw(name) is not { } v)
            return defaultValue;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return v.GetBoolean();
        Problem(name, $"'{name}' must be true or false.");
        return defaultValue;
    }

    public string Choice(string name, IReadOnlyList<string> allowed, string defaultValue)
    {
        var text = Text(name);
        if (text is null)
            return defaultValue;
        var match = allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Problem(name, $"'{name}' must be one of {string.Join(", ", allowed)}.");
            return defaultValue;
        }
        return match;
    }

    public Guid? Id(string name, bool required)
    {
        var text = Text(name, required);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (Guid.TryParse(text, out var id))
            return id;
        Problem(name, $"'{name}' must be an id.");
        return null;
    }

    /// <summary>A duration as ISO 8601 (PT5M) or shorthand (30s, 5m, 2h, 1d).</summary>
    public TimeSpan? Duration(string name, bool required = false)
    {
        var text = Text(name, required);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (TryDuration(text.Trim(), out var span) && span > TimeSpan.Zero && span <= TimeSpan.FromDays(365))
            return span;
        Problem(name, $"'{name}' must be a duration such as 30s, 5m, 2h, 1d or PT5M (up to a year).");
        return null;
    }

    public static bool TryDuration(string text, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        if (text.StartsWith('P'))
        {
            try
            {
                span = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
            return false;
        switch (char.ToLowerInvariant(text[^1]))
        {
            case 's':
                span = TimeSpan.FromSeconds(n);
                return true;
            case 'm':
                span = TimeSpan.FromMinutes(n);
                return true;
            case 'h':
                span = TimeSpan.FromHours(n);
                return true;
            case 'd':
                span = TimeSpan.FromDays(n);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A declared flow variable's name.</summary>
    public string? Variable(string name, bool required)
    {
        var text = Text(name, required);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (!variables.ContainsKey(text))
            Problem(name, $"Variable '{text}' is not declared in the flow's variables.");
        return text;
    }

    /// <summary>An array of objects with two text fields, such as buttons {title,payload} or choices {title,value}.</summary>
    public List<(string Title, string Value)> Pairs(string name, string valueField, int max, bool required = false)
    {
        var result = new List<(string, string)>();
        if (Raw(name) is not { } v)
        {
            if (required)
                Problem(name, $"'{name}' needs at least one entry.");
            return result;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            Problem(name, $"'{name}' must be a list.");
            return result;
        }
        foreach (var item in v.EnumerateArray())
        {
            string? title = null, value = null;
            if (item.ValueKind == JsonValueKind.String)
            {
                title = value = item.GetString();
            }
            else if (item.ValueKind == JsonValueKind.Object)
            {
                title = item.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                value = item.TryGetProperty(valueField, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                value ??= title;
                title ??= value;
            }
            if (string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(value))
            {
                Problem(name, $"Every entry of '{name}' needs a title and a {valueField}.");
                continue;
            }
            result.Add((title.Trim(), value.Trim()));
        }
        if (required && result.Count == 0)
            Problem(name, $"'{name}' needs at least one entry.");
        if (result.Count > max)
            Problem(name, $"'{name}' has more than {max} entries.");
        if (result.Select(r => r.Item2.ToLowerInvariant()).Distinct().Count() != result.Count)
            Problem(name, $"The {valueField}s of '{name}' must differ from each other.");
        return result;
    }

    /// <summary>A list of strings (keywords, cases), also accepted as objects with a value field.</summary>
    public List<string> Strings(string name, bool required = false)
    {
        var list = Pairs(name, "value", 100, required).Select(p => p.Value).ToList();
        return list;
    }

    /// <summary>A flat JSON object of text values (headers, response mapping).</summary>
    public Dictionary<string, string> Map(string name)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Raw(name) is not { } v)
            return result;
        if (v.ValueKind != JsonValueKind.Object)
        {
            Problem(name, $"'{name}' must be an object of names to text.");
            return result;
        }
        foreach (var property in v.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                Problem(name, $"'{name}.{property.Name}' must be text.");
                continue;
            }
            result[property.Name] = property.Value.GetString()!;
        }
        return result;
    }

    public JsonElement? Json(string name) => Raw(name);
}
