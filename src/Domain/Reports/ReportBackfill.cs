using OneInbox.Domain.Common;

namespace OneInbox.Domain.Reports;

/// <summary>
/// When this installation began counting live (the first start with reports; one row). What happened before it is
/// counted once by the backfill; what happened after, by the units of work themselves.
/// </summary>
public sealed class ReportEpoch
{
    public const int SingletonId = 1;

    private ReportEpoch()
    {
    }

    public int Id { get; private set; } = SingletonId;

    public DateTimeOffset LiveSince { get; private set; }

    public static ReportEpoch StartingAt(DateTimeOffset at) => new() { LiveSince = at };
}

/// <summary>A workspace's history before <see cref="ReportEpoch.LiveSince"/> was counted (written with its counts, in one transaction).</summary>
public sealed class ReportBackfill : TenantEntity
{
    private ReportBackfill()
    {
    }

    public DateTimeOffset DoneAt { get; private set; }

    public int Conversations { get; private set; }

    public int Messages { get; private set; }

    public static ReportBackfill Done(Guid workspaceId, int conversations, int messages, DateTimeOffset at)
    {
        var backfill = new ReportBackfill { DoneAt = at, Conversations = conversations, Messages = messages };
        backfill.BelongTo(workspaceId);
        return backfill;
    }
}
