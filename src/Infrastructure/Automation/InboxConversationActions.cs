using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Application.Flows;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Identity;

namespace OneInbox.Infrastructure.Automation;

/// <summary>
/// What a flow does to a real conversation. Every action only stages changes on the caller's unit of work
/// (never saves): the caller commits them with the instance state and journal, or drops them all.
/// Rules the inbox enforces for people (a team of this workspace, a member of it) apply to flows too; a
/// broken reference fails the step, which raises an incident and hands the conversation to people.
/// </summary>
internal sealed class InboxConversationActions(IOneInboxDb db, Conversation conversation, Contact contact, string flowRef, TimeProvider clock)
    : IConversationActions
{
    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken)
    {
        // A flow's media is a public URL, not stored bytes: the message keeps the URL, and the channel hands it
        // to the provider, which fetches the file itself (Telegram's sendPhoto with a URL, say).
        var kind = MessageKind.Text;
        List<MessageAttachment> attachments = [];
        if (message.Media is { } media)
        {
            kind = Enum.Parse<MessageKind>(media.Kind, ignoreCase: true); // image, video, audio or document, checked at publish
            attachments.Add(new MessageAttachment(kind, null, null, FileNameOf(media.Url), null, null, media.Url));
        }
        var reply = conversation.Reply(MessageAuthorType.Automation, null, flowRef, kind, message.Text, attachments, clock);
        db.Messages.Add(reply);
        var buttons = message.Buttons.Select(b => new OutboundButton(b.Title, b.Payload)).ToList();
        db.OutboxMessages.Add(Outbox.For(conversation, reply, clock, buttons));
        return ValueTask.CompletedTask;
    }

    private static string FileNameOf(string url)
    {
        var name = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : null;
        return string.IsNullOrEmpty(name) ? "media" : name;
    }

    public async ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken)
    {
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, cancellationToken)
            ?? throw new InvalidOperationException($"Team {teamId} does not exist in this workspace.");
        Record(conversation.AssignTeam(team.Id, null, clock));

        // Only members who take new conversations right now; the others keep what they have.
        var teamMembers = team.MemberIds.ToList();
        var online = await db.Members.AsNoTracking()
            .Where(m => teamMembers.Contains(m.UserId) && m.Availability == MemberAvailability.Online)
            .Select(m => m.UserId)
            .ToListAsync(cancellationToken);
        var candidates = teamMembers.Where(online.Contains).ToList();
        if (candidates.Count == 0)
        {
            // Nobody to hand it to: it waits in the team's queue, and the timeline says why nobody has it.
            db.Messages.Add(conversation.AddNote(null, $"No member of {team.Name} is online; the conversation waits in the team's queue.", clock));
            return null;
        }

        var member = strategy == TeamAssignmentStrategy.LeastBusy
            ? await LeastBusyAsync(candidates, cancellationToken)
            : await LongestWaitingAsync(teamId, candidates, cancellationToken);
        Record(conversation.AssignTo(member, null, clock));
        return member;
    }

    /// <summary>Round robin without a cursor to keep: the member whose last assignment from this team is oldest (or who never had one).</summary>
    private async Task<Guid> LongestWaitingAsync(Guid teamId, List<Guid> candidates, CancellationToken cancellationToken)
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
        return candidates.MinBy(m => last.TryGetValue(m, out var at) && at is { } t ? t.UtcTicks : long.MinValue);
    }

    private async Task<Guid> LeastBusyAsync(List<Guid> candidates, CancellationToken cancellationToken)
    {
        var open = await db.Conversations.AsNoTracking()
            .Where(c => c.AssigneeId != null && candidates.Contains(c.AssigneeId.Value) && c.Status != ConversationStatus.Resolved)
            .GroupBy(c => c.AssigneeId!.Value)
            .Select(g => new { Member = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Member, x => x.Count, cancellationToken);
        // Count what this unit of work changed but has not written yet (a batch of conversations): the
        // database still holds the old assignee and status of those rows.
        foreach (var pending in db.Tracked<Conversation>().Where(c => c.Id != conversation.Id))
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
        return candidates.MinBy(m => open.GetValueOrDefault(m));
    }

    public async ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.UserId == userId, cancellationToken))
            throw new InvalidOperationException($"Member {userId} does not belong to this workspace.");
        Record(conversation.AssignTo(userId, null, clock));
    }

    public ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken)
    {
        Record(conversation.HandOff(reason, summary, clock));
        return ValueTask.CompletedTask;
    }

    public ValueTask AddNoteAsync(string text, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(text))
            db.Messages.Add(conversation.AddNote(null, text, clock));
        return ValueTask.CompletedTask;
    }

    public ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken)
    {
        // The designer offers low/normal/high/urgent; the inbox calls "normal" medium.
        var value = priority.ToLowerInvariant() switch
        {
            "low" => ConversationPriority.Low,
            "normal" or "medium" => ConversationPriority.Medium,
            "high" => ConversationPriority.High,
            "urgent" => ConversationPriority.Urgent,
            _ => throw new InvalidOperationException($"'{priority}' is not a priority."),
        };
        conversation.SetPriority(value, clock);
        return ValueTask.CompletedTask;
    }

    public ValueTask ResolveAsync(CancellationToken cancellationToken)
    {
        Record(conversation.ChangeStatus(ConversationStatus.Resolved, null, null, clock));
        return ValueTask.CompletedTask;
    }

    public ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken)
    {
        contact.SetAttributes([new KeyValuePair<string, string?>(name, string.IsNullOrEmpty(value) ? null : value)], clock);
        return ValueTask.CompletedTask;
    }

    public ValueTask AddTagAsync(string tag, CancellationToken cancellationToken)
    {
        contact.SetTags(contact.Tags.Append(tag), clock);
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken)
    {
        contact.SetTags(contact.Tags.Where(t => !string.Equals(t, tag.Trim(), StringComparison.OrdinalIgnoreCase)), clock);
        return ValueTask.CompletedTask;
    }

    private void Record(Message? historyLine)
    {
        if (historyLine is not null)
            db.Messages.Add(historyLine);
    }
}

/// <summary>For instances without a conversation (a manual start through the API): there is nobody to act on.</summary>
internal sealed class NoConversationActions : IConversationActions
{
    private static InvalidOperationException Missing() => new("This flow instance has no conversation to act on.");

    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken) => throw Missing();

    public ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken) => throw Missing();

    public ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken) => throw Missing();

    // A faulted instance without a conversation has nobody to hand off to; the incident is what people see.
    public ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask AddNoteAsync(string text, CancellationToken cancellationToken) => throw Missing();

    public ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken) => throw Missing();

    public ValueTask ResolveAsync(CancellationToken cancellationToken) => throw Missing();

    public ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken) => throw Missing();

    public ValueTask AddTagAsync(string tag, CancellationToken cancellationToken) => throw Missing();

    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken) => throw Missing();
}
