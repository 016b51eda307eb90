using System.Text.Json;
using OneInbox.Domain.Channels;

namespace OneInbox.Application.Channels;

/// <summary>The registered channel modules; the one place that goes from a channel type to what handles it.</summary>
public sealed class ChannelModules(IEnumerable<IChannelModule> modules)
{
    private readonly IReadOnlyList<IChannelModule> _modules = modules.OrderBy(m => m.Type).ToList();

    public IReadOnlyList<IChannelModule> All => _modules;

    public IChannelModule? Find(ChannelType type) => _modules.FirstOrDefault(m => m.Type == type);

    public IChannelModule For(ChannelType type) =>
        Find(type) ?? throw new InvalidOperationException($"No channel module handles {type} connections.");

    public static string ModeName(ConnectionMode mode) => JsonNamingPolicy.CamelCase.ConvertName(mode.ToString());

    public static bool Supports(IChannelModule module, ConnectionMode mode) => module.Description.Modes.Contains(ModeName(mode));

    /// <summary>
    /// The body's channel-specific properties against the module's field descriptions (known, of the right kind,
    /// required ones present for the mode; on a change only rotatable ones), then the module's own checks.
    /// </summary>
    public static IReadOnlyList<ChannelFieldError> Check(IChannelModule module, ChannelSettings settings, bool creating, ConnectionMode mode)
    {
        var errors = new List<ChannelFieldError>();
        var description = module.Description;
        var modeName = ModeName(mode);
        foreach (var name in settings.Names.Where(settings.Has))
        {
            var field = description.Fields.FirstOrDefault(f => f.Name == name);
            if (field is null || (field.Modes is not null && !field.Modes.Contains(modeName)))
                errors.Add(new ChannelFieldError(name, $"{description.DisplayName} connections have no {name}{(field is null ? "" : " in " + modeName + " mode")}."));
            else if (!creating && !description.Rotatable.Contains(name))
                errors.Add(new ChannelFieldError(name, $"The {name} of a {description.DisplayName} connection cannot be changed."));
            else if (KindError(field, settings) is { } kindError)
                errors.Add(new ChannelFieldError(name, kindError));
        }
        if (creating)
        {
            foreach (var field in description.Fields.Where(f => f.Required && (f.Modes is null || f.Modes.Contains(modeName)) && !settings.Has(f.Name)))
                errors.Add(new ChannelFieldError(field.Name, $"'{field.Label}' must not be empty."));
        }
        if (errors.Count == 0)
            module.Validate(settings, creating, mode, errors);
        return errors;
    }

    private static string? KindError(ChannelFieldDto field, ChannelSettings settings)
    {
        switch (field.Kind)
        {
            case ChannelFieldKinds.List:
                return settings.List(field.Name) is null ? "Must be an array of strings." : null;
            case ChannelFieldKinds.Select:
                return settings.Text(field.Name) is { } option && field.Options?.Contains(option) == true
                    ? null
                    : $"Must be one of: {string.Join(", ", field.Options ?? [])}.";
            default:
                if (settings.KindOf(field.Name) != JsonValueKind.String || string.IsNullOrWhiteSpace(settings.Text(field.Name)))
                    return "Must be a non-empty string.";
                if (settings.Text(field.Name)!.Length > ChannelRules.MaxUrlLength)
                    return $"Must be at most {ChannelRules.MaxUrlLength} characters.";
                return field.Kind == ChannelFieldKinds.Url && !ChannelRules.IsHttpUrl(settings.Text(field.Name))
                    ? ChannelRules.HttpUrlMessage
                    : null;
        }
    }
}
