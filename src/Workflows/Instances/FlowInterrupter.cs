using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Domain.Flows;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Instances;

/// <inheritdoc cref="IFlowInterrupter"/>
public sealed class FlowInterrupter(IOneInboxDb db, IFlowConversations conversations, FlowExecutor executor, IServiceProvider services) : IFlowInterrupter
{
    public async ValueTask<bool> StopForReviewAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var active = db.Tracked<FlowInstance>().FirstOrDefault(i => i.ConversationId == conversationId && i.IsActive)
            ?? await db.FlowInstances.FirstOrDefaultAsync(i => i.ConversationId == conversationId && i.Status == FlowInstanceStatus.Waiting, cancellationToken);
        // One started in this very unit of work has decided nothing the customer could have contested yet.
        if (active is not { Status: FlowInstanceStatus.Waiting } || db.FlowInstances.Entry(active).State == EntityState.Added)
            return false;
        var version = await db.FlowVersions.SingleAsync(v => v.Id == active.FlowVersionId, cancellationToken);
        var opened = await conversations.OpenAsync(conversationId, FlowReference.For(active.FlowId, active.Version), cancellationToken);
        var result = await executor.ResumeAsync(active, version, FlowRunContext.For(opened, conversationId, services), new ReviewRequestedStimulus(), cancellationToken);
        return result.Resumed;
    }
}
