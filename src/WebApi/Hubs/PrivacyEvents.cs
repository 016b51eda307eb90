using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Privacy;

namespace OneInbox.WebApi.Hubs;

/// <summary>privacy.deadline: a case is 7 days or 1 day from its due date (0: overdue), to each Owner's and Admin's own connections.</summary>
public sealed record PrivacyDeadlineEvent(Guid RequestId, PrivacyRequestType RequestType, int DaysBefore, DateTimeOffset DueAt)
{
    public const string Name = "privacy.deadline";

    public string Type => Name;
}

public sealed class PrivacyEventHandlers(IOneInboxDb db, InboxEvents events) : INotificationHandler<PrivacyDeadlineNear>
{
    public async ValueTask Handle(PrivacyDeadlineNear notification, CancellationToken cancellationToken)
    {
        var managers = await db.Members.AsNoTracking()
            .Where(m => m.Role == WorkspaceRole.Owner || m.Role == WorkspaceRole.Admin).Select(m => m.UserId).ToListAsync(cancellationToken);
        foreach (var userId in managers)
            events.AddForMember(userId, PrivacyDeadlineEvent.Name, new PrivacyDeadlineEvent(notification.RequestId, notification.Type, notification.DaysBefore, notification.DueAt));
    }
}
