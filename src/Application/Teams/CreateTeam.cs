using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Teams;

namespace OneInbox.Application.Teams;

public sealed record CreateTeam(string Name, IReadOnlyList<Guid>? MemberIds) : ICommand<TeamDto>;

public sealed class CreateTeamValidator : AbstractValidator<CreateTeam>
{
    public CreateTeamValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Team.MaxNameLength);
        RuleFor(c => c.MemberIds).Must(m => m is null || m.Count <= Team.MaxMembers).WithMessage($"A team has at most {Team.MaxMembers} members.");
    }
}

public sealed class CreateTeamHandler(IOneInboxDb db, TimeProvider clock) : ICommandHandler<CreateTeam, TeamDto>
{
    public async ValueTask<TeamDto> Handle(CreateTeam command, CancellationToken cancellationToken)
    {
        var name = command.Name.Trim();
        if (await db.Teams.AnyAsync(t => t.Name == name, cancellationToken))
            throw new ConflictException("team.exists", $"A team named '{name}' exists already.");
        var members = command.MemberIds ?? [];
        await db.EnsureMembersAsync(members, cancellationToken);
        var team = Team.Create(name, members, clock);
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return team.ToDto();
    }
}
