namespace OneInbox.Application.Flows;

/// <summary>
/// Stops the flow waiting on a conversation because people take over to review what it decided. The runtime ends the
/// instance with a journal entry saying why; it only stages, the caller saves. Implemented by src/Workflows.
/// </summary>
public interface IFlowInterrupter
{
    /// <returns>Whether a waiting flow was stopped.</returns>
    ValueTask<bool> StopForReviewAsync(Guid conversationId, CancellationToken cancellationToken);
}
