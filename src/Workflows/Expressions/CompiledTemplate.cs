using Fluid;
using OneInbox.Application.Common;

namespace OneInbox.Workflows.Expressions;

/// <summary>A Liquid template parsed once per published version; plain text skips Fluid entirely.</summary>
public sealed class CompiledTemplate
{
    private readonly IFluidTemplate? _template;

    private CompiledTemplate(string source, IFluidTemplate? template)
    {
        Source = source;
        _template = template;
    }

    public string Source { get; }

    public bool IsLiteral => _template is null;

    public static CompiledTemplate Compile(string source)
    {
        if (!source.Contains("{{", StringComparison.Ordinal) && !source.Contains("{%", StringComparison.Ordinal))
            return new CompiledTemplate(source, null);
        if (!LiquidTemplates.TryParse(source, out var template, out var error))
            throw new ExpressionException($"The template is not valid Liquid: {error}");
        return new CompiledTemplate(source, template);
    }

    public async ValueTask<string> RenderAsync(TemplateModel model)
    {
        if (_template is null)
            return Source;
        var context = LiquidTemplates.NewContext();
        context.SetValue("vars", model.Vars);
        context.SetValue("message", model.Message);
        context.SetValue("contact", model.Contact);
        context.SetValue("conversation", model.Conversation);
        return await _template.RenderAsync(context);
    }
}

/// <summary>The four objects templates and expressions see.</summary>
public sealed record TemplateModel(
    IReadOnlyDictionary<string, object?> Vars,
    IReadOnlyDictionary<string, object?> Message,
    IReadOnlyDictionary<string, object?> Contact,
    IReadOnlyDictionary<string, object?> Conversation);
