using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Teams;

namespace OneInbox.Application.Teams;

/// <summary>How a team hands out a conversation to one of its members.</summary>
public enum TeamAssignmentStrategy
{
    /// <summary>The member whose last conversation from this team is oldest (or who never had one).</summary>
    RoundRobin,

    /// <summary>The member with the fewest unresolved conversations.</summary>
    LeastBusy,
}

/// <summary>A team member as routing weighs them.</summary>
/// <param name="LastAssignedAt">When the member last got a conversation of this team; null if never.</param>
/// <param name="OpenConversations">The member's unresolved conversations, of any team.</param>
public sealed record RoutingCandidate(Guid UserId, bool Online, DateTimeOffset? LastAssignedAt, int OpenConversations);

/// <summary>
/// Team routing, the one place its rules live, for agents (<see cref="AssignConversationTeam"/> with a strategy)
/// and for flows (the assign-to-team step): the conversation goes to the team's queue and to the member the
/// strategy picks among those online; with nobody online it waits in the queue and a note says why. Changes are
/// staged on the caller's unit of work, which may hold other conversations routed but not saved yet (a batch of
/// inbound messages): those count as if they were written.
/// </summary>
public sealed class TeamRouting(IOneInboxDb db, TimeProvider clock)
{
    /// <returns>The member the conversation went to; null when nobody of the team is online.</returns>
    public async Task<Guid?> RouteAsync(Conversation conversation, Guid teamId, TeamAssignmentStrategy strategy, Guid? actorId, CancellationToken cancellationToken)
    {
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, cancellationToken)
            ?? throw new NotFoundException("Team", teamId);
        db.Record(conversation.AssignTeam(team.Id, actorId, clock));

        var member = Choose(await CandidatesAsync(conversation, team, strategy, cancellationToken), strategy);
        if (member is null)
        {
            db.Messages.Add(conversation.AddNote(null, $"No member of {team.Name} is online; the conversation waits in the team's queue.", clock));
            return null;
        }
        db.Record(conversation.AssignTo(member, actorId, clock));
        return member;
    }

    /// <summary>The rule itself: only members online take new conversations; ties go to the first in the team's order.</summary>
    public static Guid? Choose(IReadOnlyList<RoutingCandidate> members, TeamAssignmentStrategy strategy)
    {
        var online = members.Where(m => m.Online).ToList();
        if (online.Count == 0)
            return null;
        return strategy == TeamAssignmentStrategy.LeastBusy
            ? online.MinBy(m => m.OpenConversations)!.UserId
            : online.MinBy(m => m.LastAssignedAt?.UtcTicks ?? long.MinValue)!.UserId;
    }

    private async Task<List<RoutingCandidate>> CandidatesAsync(Conversation conversation, Team team, TeamAssignmentStrategy strategy, CancellationToken cancellationToken)
    {
        var members = team.MemberIds.ToList();
        var online = await db.Members.AsNoTracking()
            .Where(m => members.Contains(m.UserId) && m.Availability == MemberAvailability.Online)
            .Select(m => m.UserId)
            .ToListAsync(cancellationToken);
        if (online.Count == 0)
            return [.. members.Select(m => new RoutingCandidate(m, false, null, 0))];

        var last = strategy == TeamAssignmentStrategy.RoundRobin ? await LastAssignedAsync(team.Id, online, cancellationToken) : [];
        var open = strategy == TeamAssignmentStrategy.LeastBusy ? await OpenConversationsAsync(conversation, online, cancellationToken) : [];
        return [.. members.Select(m => new RoutingCandidate(m, online.Contains(m), last.GetValueOrDefault(m), open.GetValueOrDefault(m)))];
    }

    private async Task<Dictionary<Guid, DateTimeOffset?>> LastAssignedAsync(Guid teamId, List<Guid> candidates, CancellationToken cancellationToken)
    {
        var last = await db.Conversations.AsNoTracking()
            .Where(c => c.TeamId == teamId && c.AssigneeId != null && candidates.Contains(c.AssigneeId.Value) && c.AssignedAt != null)
            .GroupBy(c => c.AssigneeId!.Value)
            .Select(g => new { Member = g.Key, Last = g.Max(c => c.AssignedAt) })
            .ToDictionaryAsync(x => x.Member, x => x.Last, cancellationToken);
        // Assignments made earlier in this unit of work are not in the database yet (a batch of conversations).
        foreach (var pending in db.Tracked<Conversation>().Where(c => c.TeamId == teamId && c.AssigneeId is { } a && candidates.Contains(a) && c.AssignedAt is not null))
        {
            var member = pending.AssigneeId!.Value;
            if (!last.TryGetValue(member, out var at) || at < pending.AssignedAt)
                last[member] = pending.AssignedAt;
        }
        return last;
    }

    private async Task<Dictionary<Guid, int>> OpenConversationsAsync(Conversation routed, List<Guid> candidates, CancellationToken cancellationToken)
    {
        var open = await db.Conversations.AsNoTracking()
            .Where(c => c.AssigneeId != null && candidates.Contains(c.AssigneeId.Value) && c.Status != ConversationStatus.Resolved)
            .GroupBy(c => c.AssigneeId!.Value)
            .Select(g => new { Member = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Member, x => x.Count, cancellationToken);
        // Count what this unit of work changed but has not written yet (a batch of conversations): the
        // database still holds the old assignee and status of those rows.
        foreach (var pending in db.Tracked<Conversation>().Where(c => c.Id != routed.Id))
        {
            // Compared with the values read from the database (none for a new row), so no scan for changes is needed.
            var entry = db.Conversations.Entry(pending);
            if (entry.State == EntityState.Deleted)
                continue;
            if (entry.State != EntityState.Added
                && entry.Property(c => c.AssigneeId).OriginalValue is { } before
                && entry.Property(c => c.Status).OriginalValue != ConversationStatus.Resolved)
                open[before] = open.GetValueOrDefault(before) - 1;
            if (pending.AssigneeId is { } now && pending.Status != ConversationStatus.Resolved)
                open[now] = open.GetValueOrDefault(now) + 1;
        }
        return open;
    }
}
