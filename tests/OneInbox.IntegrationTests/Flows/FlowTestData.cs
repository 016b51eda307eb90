using System.Text.Json;
using System.Text.Json.Nodes;
using OneInbox.Application.Teams;
using OneInbox.Application.Flows;

namespace OneInbox.IntegrationTests.Flows;

internal static class FlowTestData
{
    /// <summary>The example flow of docs/flow-format.md, as exported.</summary>
    public static JsonObject MenuExport() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Flows", "menu-flow.json")))!.AsObject();

    public static JsonNode MenuGraph() => MenuExport()["graph"]!.DeepClone();

    public static JsonNode Greeting(string text)
    {
        var graph = JsonNode.Parse("""
            {"trigger":{"type":"Manual","inputs":{}},"variables":[{"name":"name","type":"text"}],"start":"ask",
             "nodes":[{"id":"ask","type":"AskQuestion","typeVersion":1,"inputs":{"prompt":"Your name?","variable":"name"},"position":{"x":0,"y":0}},
                      {"id":"greet","type":"SendMessage","typeVersion":1,"inputs":{"text":""},"position":{"x":0,"y":100}}],
             "edges":[{"source":"ask","sourcePort":"answered","target":"greet"}]}
            """)!;
        graph["nodes"]![1]!["inputs"]!["text"] = text;
        return graph;
    }
}

/// <summary>The conversation port as a test double: records what the flow did to the conversation.</summary>
internal sealed class RecordingConversation : IConversationActions
{
    public List<string> Sent { get; } = [];

    public string? HandOffReason { get; private set; }

    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken)
    {
        Sent.Add(message.Text);
        return ValueTask.CompletedTask;
    }

    public ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        Sent.Add($"template {name}");
        return ValueTask.FromResult(name);
    }

    public ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken) => ValueTask.FromResult<Guid?>(null);

    public ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken)
    {
        HandOffReason = reason;
        return ValueTask.CompletedTask;
    }

    public ValueTask AddNoteAsync(string text, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ResolveAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask AddTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
