using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

/// <summary>The signed-in user, the workspace their token acts in, and every workspace they may switch to.</summary>
public sealed record GetMe : IQuery<MeDto>;

/// <param name="AdultConfirmedAt">When the person confirmed being 18 or older.</param>
/// <param name="Policy">The privacy policy they accepted against the current one.</param>
public sealed record MeDto(Guid UserId, string Email, string DisplayName, bool IsPlatformAdmin, WorkspaceMembershipDto ActiveWorkspace,
    IReadOnlyList<WorkspaceMembershipDto> Workspaces, DateTimeOffset? AdultConfirmedAt, PolicyStatusDto Policy);

/// <param name="MustAccept">The current version is not the one the person accepted: the Studio asks them at sign-in.</param>
/// <param name="Changes">What the versions since the accepted one changed, newest first (empty when up to date).</param>
public sealed record PolicyStatusDto(string CurrentVersion, DateOnly CurrentDate, string? AcceptedVersion, DateTimeOffset? AcceptedAt, bool MustAccept,
    IReadOnlyList<PolicyVersionDto> Changes)
{
    public static PolicyStatusDto Of(IPrivacyPolicyTerms terms, UserAccount account)
    {
        var mustAccept = account.AcceptedPolicyVersion != terms.Current.Version;
        return new PolicyStatusDto(terms.Current.Version, terms.Current.Date, account.AcceptedPolicyVersion, account.PolicyAcceptedAt, mustAccept,
            mustAccept ? terms.Since(account.AcceptedPolicyVersion) : []);
    }
}

public sealed record WorkspaceMembershipDto(Guid Id, string Name, WorkspaceRole Role);

public sealed class GetMeHandler(IOneInboxDb db, ICurrentUser user, WorkspaceContext workspace, IUserAccounts accounts, IPrivacyPolicyTerms terms)
    : IQueryHandler<GetMe, MeDto>
{
    public async ValueTask<MeDto> Handle(GetMe query, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? throw new ForbiddenException("Integration clients act for a workspace, not a user.");
        var account = await accounts.FindByIdAsync(userId, cancellationToken) ?? throw new NotFoundException("User", userId);
        var memberships = await MembershipsOf.User(db, userId).ToListAsync(cancellationToken);
        var active = memberships.FirstOrDefault(m => m.Id == workspace.WorkspaceId) ?? throw new NotFoundException("Workspace", workspace.WorkspaceId);
        return new MeDto(account.Id, account.Email, account.DisplayName, account.IsPlatformAdmin, active, memberships,
            account.AdultConfirmedAt, PolicyStatusDto.Of(terms, account));
    }
}

public static class MembershipsOf
{
    /// <summary>All open workspaces a user belongs to, across tenants: the one query that must look past the tenant filter.</summary>
    public static IQueryable<WorkspaceMembershipDto> User(IOneInboxDb db, Guid userId) =>
        from member in db.Members.IgnoreQueryFilters().AsNoTracking()
        join ws in db.Workspaces.AsNoTracking() on member.WorkspaceId equals ws.Id
        where member.UserId == userId && ws.ClosedAt == null
        orderby member.JoinedAt
        select new WorkspaceMembershipDto(ws.Id, ws.Name, member.Role);
}
