using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;

namespace OneInbox.Application.Teams;

internal static class TeamMembers
{
    /// <summary>Every id must be a member of this workspace; the error names the ones that are not.</summary>
    public static async Task EnsureMembersAsync(this IOneInboxDb db, IReadOnlyList<Guid> userIds, CancellationToken cancellationToken)
    {
        var known = await db.Members.Where(m => userIds.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(cancellationToken);
        var unknown = userIds.Except(known).ToList();
        if (unknown.Count > 0)
            throw new ValidationException([new ValidationFailure("memberIds", $"Not members of this workspace: {string.Join(", ", unknown)}.")]);
    }
}
