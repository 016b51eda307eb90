using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;

namespace OneInbox.Application.Flows;

/// <summary>Publishes a copy of an old version's graph as a new version (history is never rewritten).</summary>
public sealed record RollbackFlow(Guid FlowId, int Version) : ICommand<PublishedVersionDto>;

public sealed class RollbackFlowHandler(IOneInboxDb db, IFlowEngine engine, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<RollbackFlow, PublishedVersionDto>
{
    public async ValueTask<PublishedVersionDto> Handle(RollbackFlow command, CancellationToken cancellationToken)
    {
        var flow = await db.FindFlowAsync(command.FlowId, cancellationToken);
        var old = await db.FlowVersions.AsNoTracking().FirstOrDefaultAsync(v => v.FlowId == flow.Id && v.Version == command.Version, cancellationToken)
            ?? throw new NotFoundException("Flow version", command.Version);
        var problems = engine.Validate(old.Graph);
        if (problems.Count > 0)
            throw new FlowInvalidException(problems);
        var version = flow.Rollback(old, user.UserId, clock);
        db.FlowVersions.Add(version);
        await db.IndexTriggerAsync(engine, flow, version, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new PublishedVersionDto(version.Version);
    }
}
