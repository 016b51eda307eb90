using System.Globalization;
using System.Text.Json;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Expressions;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Activities;

public sealed class DecisionActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "Decision", "Decision", "Flow", "Follows 'true' or 'false' by a condition.", "decision",
        [Input("condition", "Condition", "expression", required: true, hint: "e.g. message.text contains 'agent' or vars.age >= 18")],
        ["true", "false"]);

    public override ActivityStep Compile(NodeInputs inputs) => new Step(inputs.Expression("condition", required: true));

    private sealed class Step(CompiledExpression? condition) : ActivityStep
    {
        private static readonly StepResult True = StepResult.Follow("true");
        private static readonly StepResult False = StepResult.Follow("false");

        public override ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var result = condition is not null && condition.IsTrue(execution);
            execution.Input("condition", result);
            return ValueTask.FromResult(result ? True : False);
        }
    }
}

public sealed class SwitchActivity : Activity
{
    public const string Default = "default";

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "Switch", "Switch", "Flow", "Follows the case equal to the expression's value (case-insensitive), else 'default'.", "switch",
        [
            Input("expression", "Value", "expression", required: true, hint: "e.g. lower(message.text)"),
            Input("cases", "Cases", "cases", required: true),
        ],
        [Default],
        new DynamicOutcomesDto("cases", [Default]));

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var cases = inputs.Strings("cases", required: true);
        if (cases.Contains(Default, StringComparer.OrdinalIgnoreCase))
            inputs.Problem("cases", "'default' is always an outcome; it cannot be a case.");
        return new Step(inputs.Expression("expression", required: true), cases);
    }

    private sealed class Step(CompiledExpression? expression, List<string> cases) : ActivityStep
    {
        public override IReadOnlyList<string>? Outcomes { get; } = [.. cases, Default];

        public override ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var value = expression?.Evaluate(execution);
            execution.Input("value", value);
            foreach (var c in cases)
            {
                if (Values.Equals(value, c))
                    return ValueTask.FromResult(StepResult.Follow(c));
            }
            return ValueTask.FromResult(StepResult.Follow(Default));
        }
    }
}

public sealed class SetVariableActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "SetVariable", "Set variable", "Data", "Stores a template's text, or an expression's value, in a flow variable.", "variable",
        [
            Input("name", "Variable", "variable", required: true),
            Input("value", "Value", "template", hint: "Text with Liquid; ignored when an expression is given."),
            Input("expression", "Expression", "expression", hint: "e.g. vars.count + 1"),
        ],
        [Done]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var name = inputs.Variable("name", required: true);
        var expression = inputs.Expression("expression");
        var value = expression is null ? inputs.Template("value") : null;
        if (expression is null && value is null)
            inputs.Problem("value", "Give a value or an expression.");
        return new Step(name ?? string.Empty, value, expression);
    }

    private sealed class Step(string name, CompiledTemplate? value, CompiledExpression? expression) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var result = expression is not null ? expression.Evaluate(execution) : value is null ? null : await execution.RenderAsync(value);
            execution.SetVariable(name, result);
            execution.Input(name, execution.State.Variables[name]);
            return StepResult.Done;
        }
    }
}

public sealed class EndActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "End", "End", "Flow", "Ends the flow.", "stop", [], []);

    public override ActivityStep Compile(NodeInputs inputs) => new EndStep();
}

public sealed class EndStep : ActivityStep
{
    public override ValueTask<StepResult> ExecuteAsync(ActivityExecution execution) => ValueTask.FromResult(StepResult.Stop);
}

/// <summary>Waits durably: the instance is persisted with a timer bookmark and a timer row resumes it.</summary>
public sealed class DelayActivity : Activity
{
    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "Delay", "Delay", "Flow", "Waits for a duration (survives restarts).", "clock",
        [Input("duration", "Duration", "duration", required: true, hint: "e.g. 10m, 2h, 1d")],
        [Done]);

    public override ActivityStep Compile(NodeInputs inputs) => new Step(inputs.Duration("duration", required: true) ?? TimeSpan.FromMinutes(1));

    private sealed class Step(TimeSpan duration) : ActivityStep
    {
        public override ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var due = execution.Clock.GetUtcNow() + duration;
            execution.Input("dueAt", due);
            return ValueTask.FromResult(StepResult.WaitOn(execution.Wait(BookmarkKind.Timer, due)));
        }
    }
}

/// <summary>Open or closed by the calendar's weekly hours and holidays, in the calendar's time zone.</summary>
public sealed class BusinessHoursActivity : Activity
{
    private static readonly string[] Days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "BusinessHours", "Business hours", "Flow", "Follows 'open' during business hours, else 'closed'.", "calendar",
        [Input("calendar", "Calendar", "calendar", required: true,
            hint: """{"timeZone":"Europe/Berlin","weekly":[{"day":"monday","open":"09:00","close":"17:00"}],"holidays":["2026-12-25"]}""")],
        ["open", "closed"]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var zone = TimeZoneInfo.Utc;
        var weekly = new List<(DayOfWeek Day, TimeOnly Open, TimeOnly Close)>();
        var holidays = new HashSet<DateOnly>();
        if (inputs.Json("calendar") is not { ValueKind: JsonValueKind.Object } calendar)
        {
            if (inputs.Has("calendar"))
                inputs.Problem("calendar", "The calendar must be an object with timeZone, weekly and holidays.");
            return new Step(zone, weekly, holidays);
        }
        if (calendar.TryGetProperty("timeZone", out var tz) && tz.ValueKind == JsonValueKind.String)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(tz.GetString()!, out zone!))
            {
                inputs.Problem("calendar", $"Time zone '{tz.GetString()}' is unknown.");
                zone = TimeZoneInfo.Utc;
            }
        }
        if (calendar.TryGetProperty("weekly", out var week) && week.ValueKind == JsonValueKind.Array)
        {
            foreach (var slot in week.EnumerateArray())
            {
                var day = Array.IndexOf(Days, slot.TryGetProperty("day", out var d) ? d.GetString()?.ToLowerInvariant() : null);
                var ok = TimeOnly.TryParseExact(slot.TryGetProperty("open", out var o) ? o.GetString() : null, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open);
                ok &= TimeOnly.TryParseExact(slot.TryGetProperty("close", out var c) ? c.GetString() : null, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close);
                if (day < 0 || !ok || close <= open)
                    inputs.Problem("calendar", "Every weekly entry needs a day (monday..sunday) and open < close as HH:mm.");
                else
                    weekly.Add(((DayOfWeek)day, open, close));
            }
        }
        if (calendar.TryGetProperty("holidays", out var hol) && hol.ValueKind == JsonValueKind.Array)
        {
            foreach (var h in hol.EnumerateArray())
            {
                if (DateOnly.TryParseExact(h.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    holidays.Add(date);
                else
                    inputs.Problem("calendar", "Holidays are dates as yyyy-MM-dd.");
            }
        }
        return new Step(zone, weekly, holidays);
    }

    private sealed class Step(TimeZoneInfo zone, List<(DayOfWeek Day, TimeOnly Open, TimeOnly Close)> weekly, HashSet<DateOnly> holidays) : ActivityStep
    {
        public override ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var local = TimeZoneInfo.ConvertTime(execution.Clock.GetUtcNow(), zone);
            var date = DateOnly.FromDateTime(local.DateTime);
            var time = TimeOnly.FromDateTime(local.DateTime);
            var open = !holidays.Contains(date) && weekly.Any(w => w.Day == local.DayOfWeek && time >= w.Open && time < w.Close);
            execution.Input("localTime", local.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture));
            return ValueTask.FromResult(StepResult.Follow(open ? "open" : "closed"));
        }
    }
}
