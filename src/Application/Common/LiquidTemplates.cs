using Fluid;

namespace OneInbox.Application.Common;

/// <summary>
/// Liquid for everything workspace members write (canned responses, flows' messages and explanations): one parser,
/// one set of limits. Templates are written by workspace members, so rendering is bounded (steps, recursion) and sees
/// only the values put in the model, never .NET objects.
/// </summary>
public static class LiquidTemplates
{
    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new() { MaxSteps = 10_000, MaxRecursion = 20 };

    /// <summary>A render context with the common limits; the caller sets the model's objects on it.</summary>
    public static TemplateContext NewContext() => new(Options);

    public static bool TryParse(string text, out IFluidTemplate? template, out string? error)
    {
        var ok = Parser.TryParse(text, out var parsed, out var message);
        template = ok ? parsed : null;
        error = ok ? null : message;
        return ok;
    }

    public static async ValueTask<string> RenderAsync(string text, IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> model)
    {
        if (!TryParse(text, out var template, out var error))
            throw new Domain.Common.DomainException("cannedResponse.template", $"The template does not parse: {error}");
        var context = NewContext();
        foreach (var (name, values) in model)
            context.SetValue(name, ToFluid(values));
        return await template!.RenderAsync(context);
    }

    /// <summary>Nested dictionaries (contact.attributes.plan) stay reachable; a missing value renders as nothing.</summary>
    private static Dictionary<string, object> ToFluid(IReadOnlyDictionary<string, object?> values) =>
        values.Where(v => v.Value is not null).ToDictionary(
            v => v.Key,
            v => v.Value is IReadOnlyDictionary<string, object?> nested ? ToFluid(nested) : v.Value!);
}
