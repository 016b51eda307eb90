namespace OneInbox.Domain.Conversations;

public enum MessageDirection
{
    /// <summary>From the customer.</summary>
    Inbound = 0,

    /// <summary>From the business: an agent, a flow, or the system.</summary>
    Outbound = 1,
}

/// <summary>Who wrote a message.</summary>
public enum MessageAuthorType
{
    Contact = 0,
    Agent = 1,

    /// <summary>An automation flow; the message names the flow that wrote it.</summary>
    Automation = 2,

    /// <summary>The inbox itself (status changes, assignments).</summary>
    System = 3,
}

/// <summary>How far an outbound message got; inbound messages are Received.</summary>
public enum DeliveryStatus
{
    Received = 0,
    Queued = 1,
    Sent = 2,
    Delivered = 3,
    Read = 4,
    Failed = 5,

    /// <summary>A private note: never leaves the inbox.</summary>
    Internal = 6,
}
