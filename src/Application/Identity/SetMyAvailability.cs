using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

/// <summary>
/// A member says whether they take new conversations (online, away, offline) in the active workspace.
/// Taken as text, not as the enum, so an unknown value is a validation problem on the field rather than a
/// body that cannot be read.
/// </summary>
public sealed record SetMyAvailability(string? Availability) : ICommand<MemberDto>
{
    internal static bool TryParse(string? value, out MemberAvailability availability)
    {
        availability = default;
        return value is not null && !int.TryParse(value, out _) && Enum.TryParse(value, ignoreCase: true, out availability) && Enum.IsDefined(availability);
    }
}

public sealed class SetMyAvailabilityValidator : AbstractValidator<SetMyAvailability>
{
    public SetMyAvailabilityValidator() =>
        RuleFor(c => c.Availability)
            .Must(value => SetMyAvailability.TryParse(value, out _))
            .WithMessage("Availability is one of: online, away, offline.");
}

public sealed class SetMyAvailabilityHandler(IOneInboxDb db, ICurrentUser user) : ICommandHandler<SetMyAvailability, MemberDto>
{
    public async ValueTask<MemberDto> Handle(SetMyAvailability command, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? throw new ForbiddenException("Integration clients act for a workspace, not a member.");
        var member = await db.Members.FirstOrDefaultAsync(m => m.UserId == userId, cancellationToken)
            ?? throw new NotFoundException("Member", userId);
        if (!SetMyAvailability.TryParse(command.Availability, out var availability))
            throw new InvalidOperationException("The validator lets only known availabilities through.");
        if (member.SetAvailability(availability))
            await db.SaveChangesAsync(cancellationToken);
        return new MemberDto(member.UserId, member.DisplayName, member.Email, member.Role, member.JoinedAt, member.Availability);
    }
}
