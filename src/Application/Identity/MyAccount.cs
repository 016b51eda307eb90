using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

/// <summary>The signed-in person accepts the current privacy policy (recorded with the time, and audited).</summary>
public sealed record AcceptPrivacyPolicy(string Version) : ICommand<PolicyStatusDto>;

public sealed class AcceptPrivacyPolicyHandler(ICurrentUser user, PolicyAcceptance acceptance) : ICommandHandler<AcceptPrivacyPolicy, PolicyStatusDto>
{
    public async ValueTask<PolicyStatusDto> Handle(AcceptPrivacyPolicy command, CancellationToken cancellationToken) =>
        await acceptance.AcceptAsync(user.UserId ?? throw new ForbiddenException("Integration clients do not accept policies; people do."),
            command.Version, cancellationToken);
}

/// <summary>
/// Records a person's acceptance of the current policy (with the time, on their account) and audits it in every
/// workspace they belong to, whose auditors answer for their members. Used by the API and the sign-in page.
/// </summary>
public sealed class PolicyAcceptance(IUserAccounts accounts, IPrivacyPolicyTerms terms, IAuditLog audit, IOneInboxDb db)
{
    public async Task<PolicyStatusDto> AcceptAsync(Guid userId, string version, CancellationToken cancellationToken)
    {
        if (version != terms.Current.Version)
            throw new ConflictException("policy.outdated", $"The current privacy policy is version {terms.Current.Version}; read it and accept that one.");
        await accounts.RecordTermsAsync(userId, adultConfirmed: false, version, cancellationToken);
        foreach (var workspace in await MembershipsOf.User(db, userId).ToListAsync(cancellationToken))
            audit.Record("policy.accepted", userId.ToString(), version, workspace.Id, userId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        var account = await accounts.FindByIdAsync(userId, cancellationToken) ?? throw new NotFoundException("User", userId);
        return PolicyStatusDto.Of(terms, account);
    }
}

/// <summary>
/// A member deletes their own account: their name, email, phone and password go, memberships and pending invitations
/// with them; what they wrote stays, attributed to a former member (the author id no longer names anyone); their
/// open conversations go back to the queue. Workspaces where they are the only Owner are closed: the first call
/// answers 409 naming them, and <paramref name="CloseWorkspaces"/> confirms. A confirmation mail goes to the address
/// the account had.
/// </summary>
public sealed record DeleteMyAccount(string Password, bool CloseWorkspaces) : ICommand<AccountDeletedDto>;

public sealed record AccountDeletedDto(IReadOnlyList<WorkspaceClosureDto> ClosedWorkspaces, IReadOnlyList<Guid> LeftWorkspaces);

public sealed class DeleteMyAccountValidator : AbstractValidator<DeleteMyAccount>
{
    public DeleteMyAccountValidator() => RuleFor(c => c.Password).NotEmpty().MaximumLength(200);
}

public sealed class DeleteMyAccountHandler(IOneInboxDb db, ICurrentUser user, IUserAccounts accounts, WorkspaceCloser closer, IAuditLog audit, IMailer mailer)
    : ICommandHandler<DeleteMyAccount, AccountDeletedDto>
{
    public async ValueTask<AccountDeletedDto> Handle(DeleteMyAccount command, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? throw new ForbiddenException("Integration clients have no account to delete.");
        var account = await accounts.FindByIdAsync(userId, cancellationToken) ?? throw new NotFoundException("User", userId);
        if (!await accounts.CheckPasswordAsync(userId, command.Password, cancellationToken))
            throw new ForbiddenException("That is not your password.");

        var memberships = await db.Members.IgnoreQueryFilters().AsNoTracking().Where(m => m.UserId == userId)
            .Select(m => new
            {
                m.WorkspaceId,
                Name = db.Workspaces.Where(w => w.Id == m.WorkspaceId).Select(w => w.Name).First(),
                Open = db.Workspaces.Any(w => w.Id == m.WorkspaceId && w.ClosedAt == null),
                SoleOwner = m.Role == WorkspaceRole.Owner
                    && !db.Members.IgnoreQueryFilters().Any(o => o.WorkspaceId == m.WorkspaceId && o.UserId != userId && o.Role == WorkspaceRole.Owner),
            })
            .ToListAsync(cancellationToken);
        var toClose = memberships.Where(m => m.SoleOwner && m.Open).ToList();
        if (toClose.Count > 0 && !command.CloseWorkspaces)
            throw new ConflictException("account.soleOwner",
                $"You are the only Owner of {string.Join(", ", toClose.Select(w => w.Name))}: deleting your account closes "
                + (toClose.Count == 1 ? "it" : "them") + ". Make someone else Owner first, or confirm with closeWorkspaces: true.");

        var closed = new List<WorkspaceClosureDto>();
        foreach (var workspace in toClose)
            closed.Add(await closer.CloseAsync(workspace.WorkspaceId, userId, "its only Owner deleted their account", cancellationToken));

        foreach (var membership in memberships)
            audit.Record("account.deleted", userId.ToString(), "the member deleted their account", membership.WorkspaceId);
        await db.SaveChangesAsync(cancellationToken);
        // Across workspaces, so outside the tenant stamp: set-based statements.
        await db.Conversations.IgnoreQueryFilters().Where(c => c.AssigneeId == userId).ExecuteUpdateAsync(c => c.SetProperty(x => x.AssigneeId, (Guid?)null), cancellationToken);
        await db.Invitations.IgnoreQueryFilters().Where(i => i.Email == account.Email).ExecuteDeleteAsync(cancellationToken);
        await db.Members.IgnoreQueryFilters().Where(m => m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await accounts.DeleteAsync(userId, cancellationToken);

        await mailer.SendAsync(new OutgoingMail(account.Email, "Your OneInbox account was deleted",
            "Your OneInbox account was deleted as you asked: your name, email address and password are gone, and you were removed from "
            + $"{memberships.Count} workspace(s). Messages you wrote stay in those workspaces, attributed to a former member."
            + (closed.Count > 0 ? $" You were the only Owner of {string.Join(", ", closed.Select(c => c.Name))}, which closed; its data is kept 90 days, then deleted." : string.Empty)),
            cancellationToken);
        return new AccountDeletedDto(closed, [.. memberships.Select(m => m.WorkspaceId)]);
    }
}
