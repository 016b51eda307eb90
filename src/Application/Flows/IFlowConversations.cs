namespace OneInbox.Application.Flows;

/// <summary>
/// Opens the conversation a flow instance acts on, inside the current unit of work: the actions port
/// (enlisted in the same transaction as the instance) and the facts templates and conditions read.
/// The inbox implements it; background resumes (timers, retries) use it.
/// </summary>
public interface IFlowConversations
{
    ValueTask<FlowConversation> OpenAsync(Guid? conversationId, CancellationToken cancellationToken);

    /// <summary>Opens it on behalf of one flow version: the messages the flow sends name it (<see cref="FlowReference"/>).</summary>
    ValueTask<FlowConversation> OpenAsync(Guid? conversationId, string flowRef, CancellationToken cancellationToken) =>
        OpenAsync(conversationId, cancellationToken);
}

/// <summary>How an automated message names the flow that sent it (kept on the message, at most 200 characters).</summary>
public static class FlowReference
{
    public const string Unknown = "flow";

    public static string For(Guid flowId, int version) => $"flow:{flowId}/v{version}";
}

/// <param name="ContactRestricted">The contact restricted processing or objected; automation must stop.</param>
public sealed record FlowConversation(
    IConversationActions Actions,
    IReadOnlyDictionary<string, object?> Contact,
    IReadOnlyDictionary<string, object?> Conversation,
    bool ContactRestricted);
