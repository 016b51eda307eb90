using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Reports;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Reports;

/// <summary>
/// Before a unit of work is written, reads what it changes (conversations opened, resolved, reopened, answered
/// for the first time; messages in and out) from the change tracker and adds the counts and durations to the same
/// save, so reports are exact whatever happens after: the transaction commits them with the change or not at all.
/// One delta row per hour and dimensions of the unit, however many messages it holds.
/// </summary>
internal static class ReportStaging
{
    public static void Stage(OneInboxDbContext db)
    {
        MergeFlowDeltas(db);
        var conversations = db.ChangeTracker.Entries<Conversation>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
        var messages = db.ChangeTracker.Entries<Message>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (conversations.Count == 0 && messages.Count == 0)
            return;

        var deltas = new Dictionary<ReportKey, ReportDelta>();
        // The conversation's own row, and the same counts again under each label it carries.
        ReportEvent At(Conversation c, DateTimeOffset when, Guid? agent = null)
        {
            var key = new ReportKey(ReportCounts.HourOf(when), c.ConnectionId, c.Channel, c.TeamId ?? Guid.Empty, agent ?? c.AssigneeId ?? Guid.Empty);
            return ReportEvent.Of(key, c.Labels, deltas);
        }

        // A conversation the customer opens and a flow answers in the same unit of work is new and answered at once.
        var customerWrote = messages.Where(m => m.Direction == MessageDirection.Inbound).Select(m => m.ConversationId).ToHashSet();
        foreach (var entry in conversations)
        {
            var c = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                At(c, c.CreatedAt).Count(opened: 1);
                if (c.FirstResponseAt is { } answeredAtOnce && customerWrote.Contains(c.Id))
                    db.Add(ReportDuration.Measure(ReportDurationKind.FirstResponse, c.CreatedAt, answeredAtOnce, Key(c, answeredAtOnce), labels: c.Labels));
                continue;
            }
            if (c.ResolvedAt is { } resolved && Original(entry, x => x.ResolvedAt) is null)
            {
                At(c, resolved).Count(resolved: 1);
                db.Add(ReportDuration.Measure(ReportDurationKind.Resolution, c.CreatedAt, resolved, Key(c, resolved), labels: c.Labels));
            }
            if (c.Status != ConversationStatus.Resolved && Original(entry, x => x.Status) == ConversationStatus.Resolved)
                At(c, c.UpdatedAt).Count(reopened: 1);
            if (c.RatedAt is { } rated && c.Rating is { } score && Original(entry, x => x.RatedAt) != rated)
                At(c, rated).CountRating(score);
            if (c.FirstResponseAt is { } answered && Original(entry, x => x.FirstResponseAt) is null)
                db.Add(ReportDuration.Measure(ReportDurationKind.FirstResponse, c.CreatedAt, answered, Key(c, answered), labels: c.Labels));
        }

        if (messages.Count > 0)
        {
            var byId = conversations.ToDictionary(e => e.Entity.Id, e => e.Entity);
            foreach (var message in messages)
            {
                var c = byId.TryGetValue(message.ConversationId, out var known) ? known
                    : db.ChangeTracker.Entries<Conversation>().FirstOrDefault(e => e.Entity.Id == message.ConversationId)?.Entity;
                if (c is null)
                    continue;
                if (message.Direction == MessageDirection.Inbound)
                    At(c, message.CreatedAt).Count(messagesIn: 1);
                else if (!message.IsPrivate)
                    At(c, message.CreatedAt, message.AuthorType == MessageAuthorType.Agent ? message.AuthorUserId : null).Count(messagesOut: 1);
            }
        }
        db.AddRange(deltas.Values);

        static ReportKey Key(Conversation c, DateTimeOffset at) =>
            new(ReportCounts.HourOf(at), c.ConnectionId, c.Channel, c.TeamId ?? Guid.Empty, c.AssigneeId ?? Guid.Empty);
    }

    /// <summary>One flow count row per hour and flow version in a unit of work, however many instances it ran.</summary>
    private static void MergeFlowDeltas(OneInboxDbContext db)
    {
        var added = db.ChangeTracker.Entries<FlowReportDelta>().Where(e => e.State == EntityState.Added).ToList();
        if (added.Count < 2)
            return;
        foreach (var same in added.GroupBy(e => (e.Entity.WorkspaceId, e.Entity.HourStart, e.Entity.FlowId, e.Entity.Version)).Where(g => g.Count() > 1))
        {
            db.Add(FlowReportDelta.Merge(same.Select(e => e.Entity).ToList()));
            foreach (var entry in same)
                entry.State = EntityState.Detached;
        }
    }

    private static T Original<T>(EntityEntry<Conversation> entry, System.Linq.Expressions.Expression<Func<Conversation, T>> property) =>
        entry.Property(property).OriginalValue;
}

/// <summary>
/// The deltas one event counts on: the conversation's own key, and the same key under each label the conversation
/// carries (read only by label-filtered reports).
/// </summary>
internal readonly struct ReportEvent(IReadOnlyList<ReportKey> keys, Dictionary<ReportKey, ReportDelta> deltas, Guid? workspaceId)
{
    public static ReportEvent Of(ReportKey key, IEnumerable<string> labels, Dictionary<ReportKey, ReportDelta> deltas, Guid? workspaceId = null) =>
        new([key, .. labels.Select(label => key with { Label = label })], deltas, workspaceId);

    public void Count(int opened = 0, int resolved = 0, int reopened = 0, int messagesIn = 0, int messagesOut = 0)
    {
        foreach (var delta in Each())
            delta.Count(opened, resolved, reopened, messagesIn, messagesOut);
    }

    public void CountRating(int score)
    {
        foreach (var delta in Each())
            delta.CountRating(score);
    }

    private IEnumerable<ReportDelta> Each()
    {
        foreach (var key in keys)
        {
            if (!deltas.TryGetValue(key, out var delta))
                deltas[key] = delta = workspaceId is { } id ? ReportDelta.For(id, key) : ReportDelta.For(key);
            yield return delta;
        }
    }
}
