using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

public sealed record InvitationDto(Guid Id, string Email, WorkspaceRole Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt);

/// <summary>The created invitation with its token: the only time the token is readable.</summary>
public sealed record CreatedInvitationDto(Guid Id, string Email, WorkspaceRole Role, DateTimeOffset ExpiresAt, string Token);

public sealed record CreateInvitation(string Email, WorkspaceRole Role, int? ValidForHours) : ICommand<CreatedInvitationDto>;

public sealed class CreateInvitationValidator : AbstractValidator<CreateInvitation>
{
    public CreateInvitationValidator()
    {
        RuleFor(c => c.Email).NotEmpty().EmailAddress().MaximumLength(254);
        RuleFor(c => c.Role).IsInEnum().NotEqual(WorkspaceRole.Owner).WithMessage("Invite as Admin and promote to Owner afterwards.");
        RuleFor(c => c.ValidForHours).InclusiveBetween(1, 24 * 30);
    }
}

public sealed class CreateInvitationHandler(IOneInboxDb db, ICurrentUser actor, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<CreateInvitation, CreatedInvitationDto>
{
    public async ValueTask<CreatedInvitationDto> Handle(CreateInvitation command, CancellationToken cancellationToken)
    {
        var email = command.Email.Trim().ToLowerInvariant();
        if (await db.Members.AnyAsync(m => m.Email == email, cancellationToken))
            throw new ConflictException("invitation.alreadyMember", "That person is already a member of this workspace.");
        var token = Secrets.NewToken();
        var invitation = Invitation.Create(email, command.Role, Secrets.Hash(token), actor.UserId, TimeSpan.FromHours(command.ValidForHours ?? 72), clock);
        db.Invitations.Add(invitation);
        audit.Record("invitation.created", email, command.Role.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedInvitationDto(invitation.Id, invitation.Email, invitation.Role, invitation.ExpiresAt, token);
    }
}

public sealed record ListInvitations : IQuery<ItemsOf<InvitationDto>>;

public sealed class ListInvitationsHandler(IOneInboxDb db) : IQueryHandler<ListInvitations, ItemsOf<InvitationDto>>
{
    public async ValueTask<ItemsOf<InvitationDto>> Handle(ListInvitations query, CancellationToken cancellationToken) =>
        new(await db.Invitations.AsNoTracking().OrderByDescending(i => i.Id)
            .Select(i => new InvitationDto(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.AcceptedAt))
            .ToListAsync(cancellationToken));
}

public sealed record RevokeInvitation(Guid InvitationId) : ICommand;

public sealed class RevokeInvitationHandler(IOneInboxDb db, IAuditLog audit) : ICommandHandler<RevokeInvitation>
{
    public async ValueTask<Unit> Handle(RevokeInvitation command, CancellationToken cancellationToken)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == command.InvitationId, cancellationToken)
            ?? throw new NotFoundException("Invitation", command.InvitationId);
        db.Invitations.Remove(invitation);
        audit.Record("invitation.revoked", invitation.Email);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>
/// Accepts an invitation by its token. A new person chooses a password here; someone who already has an
/// account proves it with their password. Either way the invitation's email must be theirs.
/// </summary>
/// <param name="ConfirmAdult">The person confirms being 18 or older; accepting also accepts the current privacy policy.</param>
public sealed record AcceptInvitation(string Token, string Password, string? DisplayName, bool ConfirmAdult) : ICommand<WorkspaceMembershipDto>;

public sealed class AcceptInvitationValidator : AbstractValidator<AcceptInvitation>
{
    public AcceptInvitationValidator()
    {
        RuleFor(c => c.Token).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(200);
        RuleFor(c => c.DisplayName).MaximumLength(WorkspaceMember.MaxDisplayNameLength);
        RuleFor(c => c.ConfirmAdult).Equal(true).WithMessage(AgeRule.Message);
    }
}

public sealed class AcceptInvitationHandler(IOneInboxDb db, IUserAccounts accounts, IAuditLog audit, IPrivacyPolicyTerms terms, TimeProvider clock)
    : ICommandHandler<AcceptInvitation, WorkspaceMembershipDto>
{
    public async ValueTask<WorkspaceMembershipDto> Handle(AcceptInvitation command, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(command.Token);
        var invitation = await db.Invitations.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null || !invitation.IsOpen(clock)
            || await db.Workspaces.AnyAsync(w => w.Id == invitation.WorkspaceId && w.ClosedAt != null, cancellationToken))
            throw new NotFoundException("Invitation", "token");

        var account = await accounts.FindByEmailAsync(invitation.Email, cancellationToken);
        if (account is null)
        {
            account = await accounts.CreateAsync(invitation.Email, command.Password, command.DisplayName ?? string.Empty, platformAdmin: false, "password", cancellationToken);
        }
        else if (!await accounts.CheckPasswordAsync(account.Id, command.Password, cancellationToken))
        {
            throw new ForbiddenException("That is not the password of the account this invitation is for.");
        }

        if (await db.Members.IgnoreQueryFilters().AnyAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == account.Id, cancellationToken))
            throw new ConflictException("invitation.alreadyMember", "You are already a member of this workspace.");

        await accounts.RecordTermsAsync(account.Id, adultConfirmed: true, terms.Current.Version, cancellationToken);
        invitation.Accept(account.Id, clock);
        db.Members.Add(WorkspaceMember.Admit(invitation.WorkspaceId, account.Id, invitation.Role, command.DisplayName ?? account.DisplayName, account.Email, clock));
        audit.Record("invitation.accepted", account.Id.ToString(), invitation.Role.ToString(), invitation.WorkspaceId, account.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == invitation.WorkspaceId, cancellationToken);
        return new WorkspaceMembershipDto(workspace.Id, workspace.Name, invitation.Role);
    }
}
