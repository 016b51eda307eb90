namespace OneInbox.Application.Flows;

/// <summary>
/// Simulated conversations against a draft graph, with no channel and no inbox (kept in memory for at most
/// an hour). Implemented by src/Workflows.
/// </summary>
public interface IFlowTestRuns
{
    ValueTask<TestRunDto> StartAsync(Guid workspaceId, Guid flowId, string graphJson, string? contactName, string? channel, CancellationToken cancellationToken);

    ValueTask<TestRunDto> SendAsync(Guid workspaceId, Guid flowId, Guid runId, string? text, string? buttonPayload, CancellationToken cancellationToken);
}

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
    string? Assignment,
    string? Explanation = null);
