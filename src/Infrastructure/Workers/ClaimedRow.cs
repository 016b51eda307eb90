namespace OneInbox.Infrastructure.Workers;

/// <summary>A row a worker holds the lease of, and the workspace whose unit of work it is handled in.</summary>
public sealed record ClaimedRow(Guid Id, Guid WorkspaceId);
