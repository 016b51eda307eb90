namespace OneInbox.Application.Flows;

/// <summary>
/// Opens the conversation a flow instance acts on, inside the current unit of work: the actions port
/// (enlisted in the same transaction as the instance) and the facts templates and conditions read.
/// The inbox implements it; background resumes (timers, retries) use it.
/// </summary>
public interface IFlowConversations
{
    ValueTask<FlowConversation> OpenAsync(Guid? conversationId, CancellationToken cancellationToken);
}

/// <param name="ContactRestricted">The contact restricted processing or objected; automation must stop.</param>
public sealed record FlowConversation(
    IConversationActions Actions,
    IReadOnlyDictionary<string, object?> Contact,
    IReadOnlyDictionary<string, object?> Conversation,
    bool ContactRestricted);
