using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Teams;

namespace OneInbox.Application.Teams;

/// <summary>Renames the team and/or replaces its members; what is left out stays.</summary>
public sealed record UpdateTeam(Guid TeamId, string? Name, IReadOnlyList<Guid>? MemberIds) : ICommand<TeamDto>;

public sealed class UpdateTeamValidator : AbstractValidator<UpdateTeam>
{
    public UpdateTeamValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Team.MaxNameLength).When(c => c.Name is not null);
        RuleFor(c => c.MemberIds).Must(m => m is null || m.Count <= Team.MaxMembers).WithMessage($"A team has at most {Team.MaxMembers} members.");
    }
}

public sealed class UpdateTeamHandler(IOneInboxDb db) : ICommandHandler<UpdateTeam, TeamDto>
{
    public async ValueTask<TeamDto> Handle(UpdateTeam command, CancellationToken cancellationToken)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == command.TeamId, cancellationToken)
            ?? throw new NotFoundException("Team", command.TeamId);
        if (command.Name is { } name)
        {
            if (await db.Teams.AnyAsync(t => t.Name == name.Trim() && t.Id != team.Id, cancellationToken))
                throw new ConflictException("team.exists", $"A team named '{name.Trim()}' exists already.");
            team.Rename(name);
        }
        if (command.MemberIds is { } members)
        {
            await db.EnsureMembersAsync(members, cancellationToken);
            team.SetMembers(members);
        }
        await db.SaveChangesAsync(cancellationToken);
        return team.ToDto();
    }
}
