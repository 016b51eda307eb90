namespace OneInbox.Infrastructure.Workers;

/// <summary>
/// A row a worker holds the lease of, and the workspace whose unit of work it is handled in. Rows of one
/// <paramref name="OrderKey"/> (a conversation, say) must be handled in claim order: they stay in one unit, in order.
/// </summary>
public sealed record ClaimedRow(Guid Id, Guid WorkspaceId, string? OrderKey = null)
{
    /// <summary>The rows to keep together and in order: those of one order key, or the row alone.</summary>
    public string OrderGroup => OrderKey ?? Id.ToString();
}
