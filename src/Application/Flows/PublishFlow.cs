using Mediator;
using OneInbox.Application.Common;

namespace OneInbox.Application.Flows;

/// <summary>
/// Validates the draft and snapshots it as the next version, which new conversations start on; instances in
/// flight stay on the version they started with. The trigger is re-indexed for the new version only.
/// </summary>
public sealed record PublishFlow(Guid FlowId) : ICommand<PublishedVersionDto>;

public sealed class PublishFlowHandler(IOneInboxDb db, IFlowEngine engine, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<PublishFlow, PublishedVersionDto>
{
    public async ValueTask<PublishedVersionDto> Handle(PublishFlow command, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(command.FlowId, cancellationToken);
        var problems = engine.Validate(flow.DraftGraph);
        if (problems.Count > 0)
            throw new FlowInvalidException(problems);
        var version = flow.Publish(user.UserId, clock);
        db.FlowVersions.Add(version);
        await db.IndexTriggerAsync(engine, flow, version, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new PublishedVersionDto(version.Version);
    }
}
