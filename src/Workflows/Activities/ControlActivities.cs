using System.Globalization;
using System.Text.Json;
using OneInbox.Application.Flows;
using OneInbox.Domain.Workspaces;
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

/// <summary>
/// Open or closed by a calendar's weekly hours and closed dates, in its time zone: the workspace's business hours
/// (set in the Studio's workspace settings) unless the step names a calendar of its own.
/// </summary>
public sealed class BusinessHoursActivity : Activity
{
    private static readonly string[] Days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "BusinessHours", "Business hours", "Flow", "Follows 'open' during business hours, else 'closed'.", "calendar",
        [Input("calendar", "Calendar (empty: the workspace's business hours)", "calendar",
            hint: """{"timeZone":"Europe/Berlin","weekly":[{"day":"monday","open":"09:00","close":"17:00"}],"holidays":["2026-12-25"]}""")],
        ["open", "closed"]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        if (inputs.Json("calendar") is not { ValueKind: JsonValueKind.Object } calendar)
        {
            if (inputs.Has("calendar"))
                inputs.Problem("calendar", "The calendar must be an object with timeZone, weekly and holidays.");
            return new Step(null);
        }
        var zone = TimeZoneInfo.Utc;
        if (calendar.TryGetProperty("timeZone", out var tz) && tz.ValueKind == JsonValueKind.String && !BusinessHours.TryFindZone(tz.GetString(), out zone))
            inputs.Problem("calendar", $"Time zone '{tz.GetString()}' is unknown.");
        var weekly = new List<OpeningHours>();
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
                    weekly.Add(new OpeningHours((DayOfWeek)day, open, close));
            }
        }
        var holidays = new List<DateOnly>();
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
        return new Step(new BusinessCalendar(zone, new BusinessHours(weekly, holidays)));
    }

    /// <param name="own">The step's own calendar; null reads the workspace's when the step runs.</param>
    private sealed class Step(BusinessCalendar? own) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var calendar = own
                ?? (execution.Context.BusinessHours is { } workspace ? await workspace.GetAsync(execution.CancellationToken) : null)
                ?? throw new InvalidOperationException("The workspace's business hours are not available here; give the step a calendar.");
            var now = execution.Clock.GetUtcNow();
            execution.Input("calendar", own is null ? "workspace" : "step");
            execution.Input("localTime", TimeZoneInfo.ConvertTime(now, calendar.Zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture));
            return StepResult.Follow(calendar.IsOpen(now) ? "open" : "closed");
        }
    }
}
