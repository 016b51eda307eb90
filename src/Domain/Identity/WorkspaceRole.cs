namespace OneInbox.Domain.Identity;

/// <summary>What a member may do in one workspace.</summary>
public enum WorkspaceRole
{
    /// <summary>Everything an admin may do, and cannot be removed by an admin.</summary>
    Owner = 0,

    /// <summary>Manages members, integration clients, channels, flows and settings.</summary>
    Admin = 1,

    /// <summary>Works conversations and contacts.</summary>
    Agent = 2,

    /// <summary>Reads contacts, conversations and automated-decision records; changes only review outcomes.</summary>
    Auditor = 3,
}
