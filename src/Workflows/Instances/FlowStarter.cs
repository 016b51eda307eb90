using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Flows;
using OneInbox.Domain.Flows;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Instances;

/// <summary>
/// Starts a version on a conversation outside any inbound message (manual starts, schedules). Like the
/// dispatcher it only stages: the caller saves once, so state, journal and outbound rows commit together.
/// </summary>
public sealed class FlowStarter(IFlowConversations conversations, FlowExecutor executor, IServiceProvider services) : IFlowStarter
{
    public async ValueTask<FlowInstance?> StartAsync(FlowVersion version, Guid conversationId, string? fromNodeId, CancellationToken cancellationToken)
    {
        var opened = await conversations.OpenAsync(conversationId, FlowReference.For(version.FlowId, version.Version), cancellationToken);
        if (opened.ContactRestricted)
            return null;
        var context = FlowRunContext.For(opened, conversationId, services);
        var (instance, _) = await executor.StartAsync(version, context, null, cancellationToken, fromNodeId);
        return instance;
    }
}
