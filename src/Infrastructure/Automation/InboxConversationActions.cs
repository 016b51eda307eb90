using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Channels;
using OneInbox.Application.Common;
using OneInbox.Application.Conversations;
using OneInbox.Application.Flows;
using OneInbox.Application.Privacy;
using OneInbox.Application.Reviews;
using OneInbox.Application.Teams;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Reviews;

namespace OneInbox.Infrastructure.Automation;

/// <summary>
/// What a flow does to a real conversation: a thin adapter over the domain methods and Application services the
/// API's use cases call (the conversation's own methods, <see cref="TeamRouting"/>, <see cref="AssignmentTargets"/>,
/// <see cref="Outbox"/>), so a flow and an agent change a conversation by the same rules. Every action only stages
/// changes on the caller's unit of work (never saves): the caller commits them with the instance state and
/// journal, or drops them all. A broken reference (a team or member not of this workspace) fails the step, which
/// raises an incident and hands the conversation to people.
/// </summary>
internal sealed class InboxConversationActions(
    IOneInboxDb db, TeamRouting routing, ChannelModules modules, MessageTemplates templates, ReviewIntake reviews, ChatPrivacyRequests privacy,
    Conversation conversation, Contact contact, string flowRef, TimeProvider clock)
    : IConversationActions
{
    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken)
    {
        ReplyWindow.EnsureOpen(conversation, modules, clock);
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

    public async ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var connection = await db.ChannelConnections.AsNoTracking().FirstAsync(c => c.Id == conversation.ConnectionId, cancellationToken);
        var (template, text) = await templates.PrepareAsync(connection, contact, name, language, parameters, cancellationToken);
        var reply = conversation.Reply(MessageAuthorType.Automation, null, flowRef, MessageKind.Text, text, [], clock);
        db.Messages.Add(reply);
        db.OutboxMessages.Add(Outbox.For(conversation, reply, clock, template: template));
        return text;
    }

    private static string FileNameOf(string url)
    {
        var name = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : null;
        return string.IsNullOrEmpty(name) ? "media" : name;
    }

    public async ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken) =>
        await routing.RouteAsync(conversation, teamId, strategy, null, cancellationToken);

    public async ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.EnsureMemberAsync(userId, cancellationToken);
        db.Record(conversation.AssignTo(userId, null, clock));
    }

    public ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken)
    {
        db.Record(conversation.HandOff(reason, summary, clock));
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
        db.Record(conversation.ChangeStatus(ConversationStatus.Resolved, null, null, clock));
        return ValueTask.CompletedTask;
    }

    public ValueTask AskForRatingAsync(BotMessage question, CancellationToken cancellationToken)
    {
        ReplyWindow.EnsureOpen(conversation, modules, clock);
        var asked = conversation.AskForRating(flowRef, question.Text, clock);
        db.Messages.Add(asked);
        db.OutboxMessages.Add(Outbox.For(conversation, asked, clock, [.. question.Buttons.Select(b => new OutboundButton(b.Title, b.Payload))]));
        return ValueTask.CompletedTask;
    }

    public ValueTask RateAsync(int score, CancellationToken cancellationToken)
    {
        conversation.Rate(score, clock);
        return ValueTask.CompletedTask;
    }

    public ValueTask StopAwaitingRatingAsync(bool reopen, CancellationToken cancellationToken)
    {
        db.Record(conversation.StopAwaitingRating(reopen, clock));
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

    public async ValueTask<string> RequestPrivacyAsync(string type, CancellationToken cancellationToken) =>
        await privacy.OpenAsync(contact.Id, Enum.Parse<Domain.Privacy.PrivacyRequestType>(type, ignoreCase: true), cancellationToken);

    public async ValueTask<string?> RequestReviewAsync(string words, CancellationToken cancellationToken)
    {
        if (await reviews.HasOpenCaseAsync(conversation.Id, cancellationToken))
        {
            await HandOffAsync(ReviewIntake.HandOffReason, string.Empty, cancellationToken);
            return null;
        }
        var review = await reviews.OpenAsync(conversation.Id, ReviewSource.Button, words, null, null, null, this, cancellationToken);
        if (review is null)
            await HandOffAsync(ReviewIntake.HandOffReason, string.Empty, cancellationToken);
        return review?.Reference();
    }
}

/// <summary>For instances without a conversation (a manual start through the API): there is nobody to act on.</summary>
internal sealed class NoConversationActions : IConversationActions
{
    private static InvalidOperationException Missing() => new("This flow instance has no conversation to act on.");

    public ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken) => throw Missing();

    public ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken) => throw Missing();

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
