using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Identity;

namespace OneInbox.Application.Privacy;

/// <summary>An Owner ends a legal hold; erasures it held back may then go ahead.</summary>
public sealed record ReleaseLegalHold(Guid HoldId) : ICommand<LegalHoldDto>;

public sealed class ReleaseLegalHoldHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<ReleaseLegalHold, LegalHoldDto>
{
    public async ValueTask<LegalHoldDto> Handle(ReleaseLegalHold command, CancellationToken cancellationToken)
    {
        var hold = await db.LegalHolds.FirstOrDefaultAsync(h => h.Id == command.HoldId, cancellationToken)
                   ?? throw new NotFoundException("Legal hold", command.HoldId);
        var owner = user.RequireOwner("Only an Owner releases a legal hold.");
        hold.Release(owner, clock);
        audit.Record("privacy.legal_hold_released", hold.Id.ToString(), hold.ContactId is { } id ? $"contact {id}" : "workspace");
        await db.SaveChangesAsync(cancellationToken);
        return hold.ToDto();
    }
}
