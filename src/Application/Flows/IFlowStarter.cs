using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>
/// Starts a published version on a conversation inside the current unit of work (the caller saves once, so
/// the instance, its journal and what the flow sent commit together). Implemented by src/Workflows.
/// </summary>
public interface IFlowStarter
{
    /// <returns>The new instance, or null when the contact restricted processing (automation never starts).</returns>
    ValueTask<FlowInstance?> StartAsync(FlowVersion version, Guid conversationId, CancellationToken cancellationToken) =>
        StartAsync(version, conversationId, null, cancellationToken);

    /// <param name="fromNodeId">Run from this node instead of the start (a reviewer restarting a flow after an overturned decision).</param>
    ValueTask<FlowInstance?> StartAsync(FlowVersion version, Guid conversationId, string? fromNodeId, CancellationToken cancellationToken);
}
