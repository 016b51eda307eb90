using System.Text.Json;
using Mediator;
using OneInbox.Domain.Identity.Events;

namespace OneInbox.WebApi.Hubs;

/// <summary>Tells the workspace's clients when a member's availability changes, so routing views and agent lists stay current.</summary>
public sealed class MemberEventHandlers(InboxEvents events) : INotificationHandler<MemberAvailabilityChanged>
{
    public ValueTask Handle(MemberAvailabilityChanged notification, CancellationToken cancellationToken)
    {
        events.Add(new InboxEvent("member.availability", null, null, null,
            JsonNamingPolicy.CamelCase.ConvertName(notification.Availability.ToString()), notification.UserId));
        return ValueTask.CompletedTask;
    }
}
