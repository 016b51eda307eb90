using FluentValidation;
using Mediator;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Contacts;
using OneInbox.Application.Identity;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>An Owner keeps a contact's data (or the whole workspace's) from erasure, saying why.</summary>
public sealed record PlaceLegalHold(Guid? ContactId, string Reason) : ICommand<LegalHoldDto>;

public sealed class PlaceLegalHoldValidator : AbstractValidator<PlaceLegalHold>
{
    public PlaceLegalHoldValidator() =>
        RuleFor(c => c.Reason).NotEmpty().Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("A legal hold needs a reason.").MaximumLength(LegalHold.MaxReasonLength);
}

public sealed class PlaceLegalHoldHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<PlaceLegalHold, LegalHoldDto>
{
    public async ValueTask<LegalHoldDto> Handle(PlaceLegalHold command, CancellationToken cancellationToken)
    {
        var owner = user.RequireOwner("Only an Owner places a legal hold.");
        if (command.ContactId is { } contactId)
            await db.GetContactAsync(contactId, cancellationToken);
        var hold = LegalHold.Place(command.ContactId, command.Reason, owner, clock);
        db.LegalHolds.Add(hold);
        audit.Record("privacy.legal_hold_placed", hold.Id.ToString(), command.ContactId is { } id ? $"contact {id}" : "workspace");
        await db.SaveChangesAsync(cancellationToken);
        return hold.ToDto();
    }
}

public static class OwnerRule
{
    /// <summary>The acting Owner's user id; anyone else (Admins included) is refused with 403.</summary>
    public static Guid RequireOwner(this ICurrentUser user, string message) =>
        user is { Role: WorkspaceRole.Owner, UserId: { } id } ? id : throw new ForbiddenException(message);
}
