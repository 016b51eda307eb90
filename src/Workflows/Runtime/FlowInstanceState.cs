using System.Text.Json;
using System.Text.Json.Serialization;
using OneInbox.Workflows.Expressions;
using OneInbox.Domain.Flows;

namespace OneInbox.Workflows.Runtime;

public enum BookmarkKind
{
    /// <summary>A customer's reply is awaited (optionally until DueAt, then the timeout outcome).</summary>
    Reply,

    /// <summary>Only time resumes it (a delay).</summary>
    Timer,

    /// <summary>A human has the conversation; it resumes when the agent releases it.</summary>
    Release,
}

/// <summary>What a waiting instance waits for. The id lets a timer resume exactly the wait that scheduled it.</summary>
public sealed record Bookmark(Guid Id, string NodeId, BookmarkKind Kind, DateTimeOffset? DueAt, int Attempts = 0);

/// <summary>
/// Everything an instance needs to continue, persisted as JSON with the instance row. It holds no
/// references to the compiled graph, so an instance survives restarts and stays on its version.
/// </summary>
public sealed class FlowInstanceState
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public FlowInstanceStatus Status { get; set; } = FlowInstanceStatus.Running;

    public Dictionary<string, object?> Variables { get; set; } = new(StringComparer.Ordinal);

    public Bookmark? Bookmark { get; set; }

    public string? CurrentNodeId { get; set; }

    public List<string> Path { get; set; } = [];

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int JournalSequence { get; set; }

    /// <summary>Ids of recently handled stimuli, so that a redelivered message cannot resume twice.</summary>
    public List<string> RecentStimuli { get; set; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static FlowInstanceState FromJson(string json)
    {
        var state = JsonSerializer.Deserialize<FlowInstanceState>(json, Json)
            ?? throw new InvalidOperationException("Instance state is empty.");
        foreach (var key in state.Variables.Keys.ToList())
            state.Variables[key] = Values.Normalize(state.Variables[key]);
        return state;
    }
}
