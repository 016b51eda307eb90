using Mediator;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Domain.Contacts.Events;
using OneInbox.Domain.Conversations.Events;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.WebApi.Hubs;

/// <summary>An event as agents' clients receive it: what happened, to which conversation, message, contact or member.</summary>
public sealed record InboxEvent(string Type, Guid? ConversationId, Guid? MessageId, Guid? ContactId, string? Change, Guid? UserId = null);

/// <summary>
/// conversation.read, to the reader's own connections only: the conversation now has nothing unread for them,
/// so their other tabs and devices can drop the badge without fetching the conversation again.
/// </summary>
public sealed record ConversationReadEvent(Guid ConversationId, int UnreadCount)
{
    public const string Name = "conversation.read";

    /// <summary>Carried in the payload as every inbox event carries its type.</summary>
    public string Type => Name;
}

/// <summary>
/// Collects inbox events while a unit of work runs and sends them to the workspace's group (or one member's
/// group within it) only after its changes are committed: a client must never hear of a message that a
/// rolled-back transaction never stored. Domain events are raised inside SaveChanges, so sending then would
/// be too early.
/// </summary>
public sealed partial class InboxEvents(OneInboxDbContext db, WorkspaceContext workspace, IHubContext<InboxHub> hub, HubListeners listeners, ILogger<InboxEvents> logger)
{
    private readonly List<Pending> _pending = [];
    private bool _subscribed;

    /// <summary>For every member of the workspace.</summary>
    public void Add(InboxEvent inboxEvent)
    {
        if (workspace.HasWorkspace)
            Enqueue(new Pending(InboxHub.GroupOf(workspace.WorkspaceId), inboxEvent.Type, inboxEvent));
    }

    /// <summary>For one member's own connections in this workspace, and nobody else's.</summary>
    public void AddForMember(Guid userId, string type, object payload)
    {
        if (workspace.HasWorkspace)
            Enqueue(new Pending(InboxHub.GroupOfMember(workspace.WorkspaceId, userId), type, payload));
    }

    private void Enqueue(Pending pending)
    {
        if (!_subscribed)
        {
            db.Committed += OnCommitted;
            db.Failed += OnFailed;
            _subscribed = true;
        }
        if (!_pending.Contains(pending))
            _pending.Add(pending);
    }

    /// <summary>A save inside an explicit transaction commits nothing: its events wait for the next save that commits.</summary>
    private void OnCommitted(object? sender, EventArgs e)
    {
        var batch = _pending.ToList();
        _pending.Clear();
        if (batch.Count > 0)
            _ = SendAsync(batch);
    }

    private void OnFailed(object? sender, EventArgs e) => _pending.Clear();

    private async Task SendAsync(List<Pending> batch)
    {
        foreach (var (group, type, payload) in batch)
        {
            if (!listeners.AnyoneListens(group))
                continue;
            try
            {
                await hub.Clients.Group(group).SendAsync(type, payload);
            }
            catch (Exception ex)
            {
                LogSendFailed(type, ex.GetType().Name);
            }
        }
    }

    /// <summary>The group is fixed when the event is added, while the request's workspace is known.</summary>
    private sealed record Pending(string Group, string Type, object Payload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the real-time event {EventType}: {Exception}")]
    private partial void LogSendFailed(string eventType, string exception);
}

/// <summary>Turns the domain events agents care about into real-time events.</summary>
public sealed class InboxEventHandlers(InboxEvents events) :
    INotificationHandler<MessageCreated>,
    INotificationHandler<MessageUpdated>,
    INotificationHandler<ConversationCreated>,
    INotificationHandler<ConversationUpdated>,
    INotificationHandler<ConversationAssigned>,
    INotificationHandler<ContactCreated>,
    INotificationHandler<ContactUpdated>,
    INotificationHandler<ConversationRead>
{
    public ValueTask Handle(MessageCreated notification, CancellationToken cancellationToken) =>
        Add(new InboxEvent("message.created", notification.ConversationId, notification.MessageId, null, null));

    public ValueTask Handle(MessageUpdated notification, CancellationToken cancellationToken) =>
        Add(new InboxEvent("message.updated", notification.ConversationId, notification.MessageId, null, null));

    public ValueTask Handle(ConversationCreated notification, CancellationToken cancellationToken) =>
        Add(new InboxEvent("conversation.created", notification.ConversationId, null, notification.ContactId, null));

    public ValueTask Handle(ConversationUpdated notification, CancellationToken cancellationToken) =>
        Add(new InboxEvent("conversation.updated", notification.ConversationId, null, null, notification.Change));

    public ValueTask Handle(ConversationAssigned notification, CancellationToken cancellationToken) =>
        Add(new InboxEvent("conversation.updated", notification.ConversationId, null, null, "assignment"));

    public ValueTask Handle(ContactCreated notification, CancellationToken cancellationToken) =>
        Add(new InboxEvent("contact.updated", null, null, notification.ContactId, "created"));

    public ValueTask Handle(ContactUpdated notification, CancellationToken cancellationToken) =>
        Add(new InboxEvent("contact.updated", null, null, notification.ContactId, null));

    public ValueTask Handle(ConversationRead notification, CancellationToken cancellationToken)
    {
        events.AddForMember(notification.UserId, ConversationReadEvent.Name, new ConversationReadEvent(notification.ConversationId, 0));
        return ValueTask.CompletedTask;
    }

    private ValueTask Add(InboxEvent inboxEvent)
    {
        events.Add(inboxEvent);
        return ValueTask.CompletedTask;
    }
}
