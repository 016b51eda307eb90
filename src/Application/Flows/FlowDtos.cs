using System.Linq.Expressions;
using System.Text.Json;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

public sealed record FlowSummaryDto(
    Guid Id, string Name, string? Description, int Priority, int? PublishedVersion, bool HasUnpublishedChanges, int RunningInstances, DateTimeOffset UpdatedAt);

public sealed record FlowDetailDto(
    Guid Id, string Name, string? Description, int Priority, int? PublishedVersion, bool HasUnpublishedChanges, int RunningInstances, DateTimeOffset UpdatedAt,
    JsonElement Graph);

public sealed record FlowVersionDto(int Version, DateTimeOffset PublishedAt, Guid? PublishedBy);

public sealed record PublishedVersionDto(int Version);

public sealed record FlowValidationDto(bool Valid, IReadOnlyList<FlowProblem> Problems);

/// <summary>The portable form of a flow; importable into any workspace.</summary>
public sealed record ExportedFlow(string Format, string Name, string? Description, JsonElement Graph)
{
    public const string CurrentFormat = "oneinbox-flow/1";
}

internal static class FlowProjections
{
    /// <summary>A flow with the number of its instances still in progress, in one query.</summary>
    public static Expression<Func<FlowDefinition, FlowSummaryDto>> Summary(IOneInboxDb db) => f => new FlowSummaryDto(
        f.Id, f.Name, f.Description, f.Priority, f.PublishedVersion, f.HasUnpublishedChanges,
        db.FlowInstances.Count(i => i.FlowId == f.Id && (i.Status == FlowInstanceStatus.Running || i.Status == FlowInstanceStatus.Waiting)),
        f.UpdatedAt);

    public static JsonElement Json(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(new { });
        }
    }

    public static FlowDetailDto Detail(FlowSummaryDto s, string graph) =>
        new(s.Id, s.Name, s.Description, s.Priority, s.PublishedVersion, s.HasUnpublishedChanges, s.RunningInstances, s.UpdatedAt, Json(graph));
}
