using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Flows;

namespace OneInbox.Application.Flows;

/// <summary>
/// Manual start: an admin runs a flow's published version on one conversation. Exactly one flow is active
/// per conversation, so a start where one is already in progress is refused (409) rather than queued.
/// </summary>
public sealed record StartFlow(Guid FlowId, Guid ConversationId) : ICommand<StartedFlowDto>;

public sealed record StartedFlowDto(Guid InstanceId, Guid FlowId, int Version, Guid ConversationId, FlowInstanceStatus Status);

public sealed class StartFlowValidator : AbstractValidator<StartFlow>
{
    public StartFlowValidator()
    {
        RuleFor(c => c.ConversationId).NotEmpty();
    }
}

public sealed class StartFlowHandler(IOneInboxDb db, IFlowStarter starter) : ICommandHandler<StartFlow, StartedFlowDto>
{
    public async ValueTask<StartedFlowDto> Handle(StartFlow command, CancellationToken cancellationToken)
    {
        // The tenant filter makes another workspace's flow or conversation simply absent: 404.
        var flow = await db.Flows.FirstOrDefaultAsync(f => f.Id == command.FlowId, cancellationToken)
            ?? throw new NotFoundException("Flow", command.FlowId);
        if (!await db.Conversations.AnyAsync(c => c.Id == command.ConversationId, cancellationToken))
            throw new NotFoundException("Conversation", command.ConversationId);
        if (flow.PublishedVersion is not { } published)
            throw new ConflictException("flow.notPublished", "The flow has no published version to start.");
        if (await db.FlowInstances.AnyAsync(i => i.ConversationId == command.ConversationId
                && (i.Status == FlowInstanceStatus.Running || i.Status == FlowInstanceStatus.Waiting || i.Status == FlowInstanceStatus.Faulted), cancellationToken))
            throw new ConflictException("flow.alreadyActive", "A flow is already active on this conversation.");

        var version = await db.FlowVersions.SingleAsync(v => v.FlowId == flow.Id && v.Version == published, cancellationToken);
        var instance = await starter.StartAsync(version, command.ConversationId, cancellationToken)
            ?? throw new ConflictException("flow.contactRestricted", "The contact restricted processing of their data; automation never starts on them.");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The one-flow-per-conversation index (or the conversation's concurrency token): a flow started
            // there between our check and our commit. Nothing of ours was committed.
            throw new ConflictException("flow.alreadyActive", "A flow is already active on this conversation.");
        }
        return new StartedFlowDto(instance.Id, instance.FlowId, instance.Version, command.ConversationId, instance.Status);
    }
}
