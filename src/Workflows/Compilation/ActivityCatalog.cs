using OneInbox.Application.Flows;

namespace OneInbox.Workflows.Compilation;

/// <summary>Every activity type the engine knows, by type name and version.</summary>
public sealed class ActivityCatalog
{
    private readonly Dictionary<(string, int), Activity> _activities;

    public ActivityCatalog(IEnumerable<Activity> activities)
    {
        var list = activities.ToList();
        _activities = list.ToDictionary(a => (a.Type, a.Descriptor.TypeVersion));
        Descriptors = list.Select(a => a.Descriptor).OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.DisplayName, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<ActivityDescriptorDto> Descriptors { get; }

    public bool TryGet(string? type, int version, out Activity activity)
    {
        activity = null!;
        return type is not null && _activities.TryGetValue((type, version), out activity!);
    }
}
