using System.Text.Json;
using OneInbox.Application.Teams;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>
/// What the automation engine offers the use cases: the activity catalogue, graph validation and the
/// trigger a published graph declares. Implemented by src/Workflows.
/// </summary>
public interface IFlowEngine
{
    IReadOnlyList<ActivityDescriptorDto> Descriptors { get; }

    /// <summary>Every problem that would stop the graph from being published; empty when it is valid.</summary>
    IReadOnlyList<FlowProblem> Validate(string graphJson);

    /// <summary>The trigger row to index for a valid graph at publish.</summary>
    FlowTriggerIndex DescribeTrigger(string graphJson);
}

/// <summary>A trigger as indexed at publish: its type and the filter the dispatcher matches, as JSON.</summary>
public sealed record FlowTriggerIndex(string Type, string FilterJson);

/// <summary>
/// Simulated conversations against a draft graph, with no channel and no inbox (kept in memory for at most
/// an hour). Implemented by src/Workflows.
/// </summary>
public interface IFlowTestRuns
{
    ValueTask<TestRunDto> StartAsync(Guid workspaceId, Guid flowId, string graphJson, string? contactName, string? channel, CancellationToken cancellationToken);

    ValueTask<TestRunDto> SendAsync(Guid workspaceId, Guid flowId, Guid runId, string? text, string? buttonPayload, CancellationToken cancellationToken);
}

/// <summary>
/// The conversation a flow acts on. Activities touch the outside world only through this port: the inbox
/// implements it with its commands (enlisted in the same unit of work as the instance state, so that state,
/// journal and outbound messages commit together); test runs implement it in memory.
/// </summary>
public interface IConversationActions
{
    ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken);

    /// <returns>The member the conversation went to, when the strategy picked one.</returns>
    ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken);

    ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The bot stops answering; people see the reason and what the bot collected.</summary>
    ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken);

    ValueTask AddNoteAsync(string text, CancellationToken cancellationToken);

    ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken);

    ValueTask ResolveAsync(CancellationToken cancellationToken);

    ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken);

    ValueTask AddTagAsync(string tag, CancellationToken cancellationToken);

    ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken);
}

public sealed record BotMessage(string Text, IReadOnlyList<BotButton> Buttons, BotMedia? Media);

public sealed record BotButton(string Title, string Payload);

/// <param name="Url">A public https URL; the channel hands it to the provider, which fetches the file.</param>
/// <param name="Kind">image, video, audio or document.</param>
public sealed record BotMedia(string Url, string Kind)
{
    public static readonly IReadOnlyList<string> Kinds = ["image", "video", "audio", "document"];
}

/// <summary>
/// Outbound HTTP for flows, behind the SSRF guard (no private, loopback or link-local targets, size and
/// time limits). The channel issue implements it; the engine never opens sockets itself.
/// </summary>
public interface IOutboundHttp
{
    Task<OutboundHttpResponse> SendAsync(OutboundHttpRequest request, CancellationToken cancellationToken);
}

public sealed record OutboundHttpRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string? JsonBody, TimeSpan Timeout);

public sealed record OutboundHttpResponse(int StatusCode, string Body);

public sealed record ActivityDescriptorDto(
    string Type,
    int TypeVersion,
    string DisplayName,
    string Category,
    string Description,
    string Icon,
    IReadOnlyList<ActivityInputDto> Inputs,
    IReadOnlyList<string> Outcomes,
    DynamicOutcomesDto? DynamicOutcomes);

public sealed record ActivityInputDto(
    string Name,
    string DisplayName,
    string Kind,
    bool Required,
    JsonElement? DefaultValue,
    IReadOnlyList<InputOptionDto>? Options,
    string? Hint);

public sealed record InputOptionDto(string Value, string Label);

public sealed record DynamicOutcomesDto(string FromInput, IReadOnlyList<string> Extra);

public sealed record TestRunDto(
    Guid Id,
    string Status,
    IReadOnlyList<TranscriptLineDto> Transcript,
    IReadOnlyList<string> Path,
    IReadOnlyDictionary<string, object?> Variables,
    HandOffDto? HandOff,
    IReadOnlyList<JournalEntryDto> Journal);

/// <summary>One line of a test run; a bot's media is shown as a link, never fetched by the Studio.</summary>
public sealed record TranscriptLineDto(string From, string Text, IReadOnlyList<BotButton> Buttons, BotMedia? Media = null);

public sealed record HandOffDto(string Reason, string Summary);

public sealed record JournalEntryDto(
    int Sequence,
    string NodeId,
    string ActivityType,
    IReadOnlyDictionary<string, object?> Inputs,
    string? Outcome,
    DateTimeOffset StartedAt,
    double DurationMs,
    IReadOnlyList<string> MessagesSent,
    string? Assignment);

/// <summary>
/// Starts a published version on a conversation inside the current unit of work (the caller saves once, so
/// the instance, its journal and what the flow sent commit together). Implemented by src/Workflows.
/// </summary>
public interface IFlowStarter
{
    /// <returns>The new instance, or null when the contact restricted processing (automation never starts).</returns>
    ValueTask<FlowInstance?> StartAsync(FlowVersion version, Guid conversationId, CancellationToken cancellationToken);
}
