using Microsoft.AspNetCore.Http;
using OneInbox.Application.Common;
using OneInbox.Application.Identity;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Identity;

internal sealed class AuditLog(OneInboxDbContext db, WorkspaceContext workspace, ICurrentUser user, IHttpContextAccessor http, TimeProvider clock) : IAuditLog
{
    public void Record(string action, string? target = null, string? details = null, Guid? workspaceId = null, string? actor = null)
    {
        var origin = RequestOrigin.Of(user, http.HttpContext);
        db.AuditEvents.Add(AuditEvent.Record(
            workspaceId ?? (workspace.HasWorkspace ? workspace.WorkspaceId : null),
            action, actor ?? origin.Actor, target, origin.IpAddress, details, clock));
    }
}
