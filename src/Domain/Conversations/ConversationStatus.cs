namespace OneInbox.Domain.Conversations;

/// <summary>Where a conversation stands for the agents working it.</summary>
public enum ConversationStatus
{
    Open = 0,

    /// <summary>Waiting on something outside the conversation (another team, the customer's documents).</summary>
    Pending = 1,

    /// <summary>Set aside until a time; a customer message wakes it earlier.</summary>
    Snoozed = 2,

    Resolved = 3,
}

public enum ConversationPriority
{
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Urgent = 4,
}
