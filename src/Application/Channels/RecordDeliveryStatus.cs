using Mediator;

namespace OneInbox.Application.Channels;

/// <summary>
/// The dispatcher reports what became of an outbound message. Its handler (which updates the inbox Message)
/// belongs to the inbox; the dispatcher sends it after the outbox row's outcome is committed.
/// </summary>
/// <param name="Reason">A stable code when it failed: blocked_by_user, chat_not_found, ...</param>
public sealed record RecordDeliveryStatus(Guid MessageId, DeliveryStatus Status, string? Reason, string? ProviderMessageId) : ICommand;

public enum DeliveryStatus
{
    Sent = 0,
    Failed = 1,
}
