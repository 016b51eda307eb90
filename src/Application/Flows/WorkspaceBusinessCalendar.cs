using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Application.Flows;

/// <summary>The workspace's business hours, for a flow's business-hours step that names no calendar of its own.</summary>
public interface IBusinessCalendar
{
    ValueTask<BusinessCalendar> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Reads the current workspace's calendar once per scope (one stimulus, one request).</summary>
internal sealed class WorkspaceBusinessCalendar(IOneInboxDb db, WorkspaceContext context) : IBusinessCalendar
{
    private BusinessCalendar? _calendar;

    public async ValueTask<BusinessCalendar> GetAsync(CancellationToken cancellationToken) =>
        _calendar ??= (await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == context.WorkspaceId, cancellationToken)
            ?? throw new NotFoundException("Workspace", context.WorkspaceId)).Calendar;
}

/// <summary>A calendar read once, for runs that outlive the request that started them (the Studio's test runs).</summary>
public sealed class FixedBusinessCalendar(BusinessCalendar calendar) : IBusinessCalendar
{
    public ValueTask<BusinessCalendar> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(calendar);
}
