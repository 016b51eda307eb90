using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

public sealed record FlowInstanceDetailDto(
    Guid Id, Guid FlowId, string? FlowName, int Version, Guid? ConversationId, FlowInstanceStatus Status,
    DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, string? CurrentNodeId,
    IReadOnlyList<string> Path, JsonElement Variables, IReadOnlyList<InstanceJournalEntryDto> Journal,
    IReadOnlyList<FlowIncidentDto> Incidents, JsonElement Graph);

public sealed record InstanceJournalEntryDto(
    int Sequence, string NodeId, string ActivityType, JsonElement Inputs, string? Outcome, DateTimeOffset StartedAt,
    double DurationMs, IReadOnlyList<string> MessagesSent, string? Assignment, string? Error,
    bool Significant, string? Explanation, JsonElement? Variables);

public sealed record FlowIncidentDto(Guid Id, string NodeId, string Message, DateTimeOffset OccurredAt, bool Resolved);

/// <summary>An instance with its path, variables, journal (why it did what it did), incidents and graph.</summary>
public sealed record GetFlowInstance(Guid InstanceId) : IQuery<FlowInstanceDetailDto>;

public sealed class GetFlowInstanceHandler(IOneInboxDb db, ICurrentUser user) : IQueryHandler<GetFlowInstance, FlowInstanceDetailDto>
{
    public async ValueTask<FlowInstanceDetailDto> Handle(GetFlowInstance query, CancellationToken cancellationToken)
    {
        var instance = await FlowJournalAccess.Visible(db, user).FirstOrDefaultAsync(i => i.Id == query.InstanceId, cancellationToken)
            ?? throw new NotFoundException("Flow instance", query.InstanceId);
        var flowName = await db.Flows.Where(f => f.Id == instance.FlowId).Select(f => f.Name).FirstOrDefaultAsync(cancellationToken);
        var graph = await db.FlowVersions.Where(v => v.Id == instance.FlowVersionId).Select(v => v.Graph).FirstOrDefaultAsync(cancellationToken) ?? "{}";
        var journal = await db.FlowJournal.AsNoTracking().Where(j => j.InstanceId == instance.Id).OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        var incidents = await db.FlowIncidents.AsNoTracking().Where(i => i.InstanceId == instance.Id).OrderBy(i => i.OccurredAt)
            .Select(i => new FlowIncidentDto(i.Id, i.NodeId, i.Message, i.OccurredAt, i.Resolved))
            .ToListAsync(cancellationToken);

        var state = FlowProjections.Json(instance.State);
        var path = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];
        var variables = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("variables", out var v) ? v : FlowProjections.Json("{}");

        return new FlowInstanceDetailDto(
            instance.Id, instance.FlowId, flowName, instance.Version, instance.ConversationId, instance.Status,
            instance.StartedAt, instance.UpdatedAt, instance.CurrentNodeId, path, variables,
            journal.Select(j => new InstanceJournalEntryDto(
                j.Sequence, j.NodeId, j.ActivityType, FlowProjections.Json(j.Inputs), j.Outcome, j.StartedAt, j.DurationMs, j.MessagesSent, j.Assignment, j.Error,
                j.Explanation is not null, j.Explanation, j.Variables is null ? null : FlowProjections.Json(j.Variables))).ToList(),
            incidents, FlowProjections.Json(graph));
    }
}
