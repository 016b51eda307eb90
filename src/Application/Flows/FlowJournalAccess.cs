using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Flows;

/// <summary>
/// Flow journals are decision records about customers: Agents see the runs of the conversations assigned to them, and
/// no other (another one is invisible, 404, as another workspace's would be); Owners, Admins and Auditors see all.
/// </summary>
public static class FlowJournalAccess
{
    public static IQueryable<FlowInstance> Visible(IOneInboxDb db, ICurrentUser user)
    {
        var instances = db.FlowInstances.AsNoTracking();
        if (user.Role != WorkspaceRole.Agent)
            return instances;
        var userId = user.UserId;
        return instances.Where(i => i.ConversationId != null
            && db.Conversations.Any(c => c.Id == i.ConversationId && c.AssigneeId == userId));
    }
}
