using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneInbox.Application.Common.Paging;
using OneInbox.Application.Conversations;
using OneInbox.Application.Teams;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Conversations;
using OneInbox.WebApi.Infrastructure;

namespace OneInbox.WebApi.Endpoints;

public static class ConversationEndpoints
{
    public sealed record ReplyBody(string? Text, IReadOnlyList<Guid>? AttachmentIds, TemplateReply? Template);

    public sealed record NoteBody(string Text);

    public sealed record AssigneeBody(Guid? UserId);

    /// <param name="Strategy">With a strategy, the team's routing also gives the conversation to a member who is online.</param>
    public sealed record TeamBody(Guid? TeamId, TeamAssignmentStrategy? Strategy = null);

    public sealed record StatusBody(ConversationStatus Status, DateTimeOffset? SnoozedUntil);

    public sealed record PriorityBody(ConversationPriority Priority);

    public sealed record LabelsBody(IReadOnlyList<string> Labels);

    public static RouteGroupBuilder MapConversationEndpoints(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Conversations");
        var read = conversations.MapGroup(string.Empty).RequireAuthorization(Policies.Read);
        var work = conversations.MapGroup(string.Empty).RequireAuthorization(Policies.Work);

        read.MapGet("/", async Task<Ok<CursorPage<ConversationDto>>> (
                    string? status, Guid? assigneeId, bool? mine, bool? unassigned, Guid? teamId, string? label,
                    string? channel, Guid? contactId, string? search, bool? unread, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListConversations(QueryValues.Enum<ConversationStatus>(status, nameof(status)), assigneeId,
                    mine ?? false, unassigned ?? false, teamId, label, QueryValues.Enum<ChannelType>(channel, nameof(channel)), contactId, search, unread ?? false, cursor, limit), ct)))
            .WithName("ListConversations").RecordsAccess("conversation.list")
            .WithSummary("The inbox: conversations by latest activity, filtered by status, assignee, mine, unassigned, team, label, channel, contact, text or unread (for the caller).");

        read.MapGet("/{conversationId:guid}", async Task<Ok<ConversationDto>> (Guid conversationId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetConversation(conversationId), ct)))
            .WithName("GetConversation").RecordsAccess("conversation.read")
            .WithSummary("Get one conversation.");

        read.MapGet("/{conversationId:guid}/messages", async Task<Ok<CursorPage<MessageDto>>> (
                    Guid conversationId, string? cursor, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListMessages(conversationId, cursor, limit), ct)))
            .WithName("ListConversationMessages").RecordsAccess("conversation.messages.read")
            .WithSummary("A conversation's messages, latest first; the cursor leads to older ones.");

        // Reading is not working: an auditor reviewing the inbox keeps their own read state too.
        read.MapPost("/{conversationId:guid}/read", async Task<NoContent> (Guid conversationId, ISender sender, CancellationToken ct) =>
                {
                    await sender.Send(new MarkConversationRead(conversationId), ct);
                    return TypedResults.NoContent();
                })
            .WithName("MarkConversationRead")
            .WithSummary("Mark the conversation read up to now for the caller; its unread count for them drops to zero.");

        work.MapPost("/", async Task<Results<Created<StartedConversation>, Ok<StartedConversation>>> (StartConversation command, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(command, ct);
                    return result.Started
                        ? TypedResults.Created($"/api/v1/conversations/{result.Conversation.Id}", result)
                        : TypedResults.Ok(result);
                })
            .WithName("StartConversation")
            .WithSummary("Write first to a contact on a connection (a Discord DM is opened at Discord): 201 with a new conversation, or 200 when the contact's open conversation there took the message. 422 when the contact never wrote on that channel or the channel's customers always write first.");

        work.MapPost("/{conversationId:guid}/messages", async Task<Created<ReplyResult>> (
                    Guid conversationId, ReplyBody body, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(new ReplyToConversation(conversationId, body.Text, body.AttachmentIds, body.Template), ct);
                    return TypedResults.Created($"/api/v1/conversations/{conversationId}/messages/{result.Message.Id}", result);
                })
            .WithName("ReplyToConversation")
            .WithSummary("Reply to the customer (queued for delivery): text and attachments, or an approved template ({\"template\": {\"name\", \"language\", \"parameters\"}}), the only reply WhatsApp takes 24 hours after the customer last wrote (422 conversation.window_closed otherwise). Replying to a resolved conversation reopens it; the answer says so.");

        work.MapPost("/{conversationId:guid}/notes", async Task<Created<MessageDto>> (
                    Guid conversationId, NoteBody body, ISender sender, CancellationToken ct) =>
                {
                    var note = await sender.Send(new AddNote(conversationId, body.Text), ct);
                    return TypedResults.Created($"/api/v1/conversations/{conversationId}/messages/{note.Id}", note);
                })
            .WithName("AddConversationNote")
            .WithSummary("Leave a private note for the team; it is never sent to the customer.");

        work.MapPut("/{conversationId:guid}/assignee", async Task<Ok<ConversationDto>> (
                    Guid conversationId, AssigneeBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new AssignConversation(conversationId, body.UserId), ct)))
            .WithName("AssignConversation")
            .WithSummary("Assign to a member (userId), or unassign with null.");

        work.MapPut("/{conversationId:guid}/team", async Task<Ok<ConversationDto>> (
                    Guid conversationId, TeamBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new AssignConversationTeam(conversationId, body.TeamId, body.Strategy), ct)))
            .WithName("AssignConversationTeam")
            .WithSummary("Queue for a team, or remove from its queue with null; with a strategy (roundRobin, leastBusy), also assign to an online member of the team.");

        work.MapPut("/{conversationId:guid}/status", async Task<Ok<ConversationDto>> (
                    Guid conversationId, StatusBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ChangeConversationStatus(conversationId, body.Status, body.SnoozedUntil), ct)))
            .WithName("ChangeConversationStatus")
            .WithSummary("Open, pending, snoozed (with snoozedUntil) or resolved.");

        work.MapPut("/{conversationId:guid}/priority", async Task<Ok<ConversationDto>> (
                    Guid conversationId, PriorityBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SetConversationPriority(conversationId, body.Priority), ct)))
            .WithName("SetConversationPriority")
            .WithSummary("Set the priority.");

        work.MapPost("/{conversationId:guid}/release", async Task<Ok<ConversationDto>> (
                    Guid conversationId, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReleaseConversation(conversationId), ct)))
            .WithName("ReleaseConversation")
            .WithSummary("Give a conversation automation handed off back to the bot; a flow waiting for the release continues.");

        work.MapPut("/{conversationId:guid}/labels", async Task<Ok<ConversationDto>> (
                    Guid conversationId, LabelsBody body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SetConversationLabels(conversationId, body.Labels), ct)))
            .WithName("SetConversationLabels")
            .WithSummary("Replace the labels.");

        work.MapPost("/bulk", async Task<Ok<BulkUpdated>> (BulkUpdateConversations command, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(command, ct)))
            .WithName("BulkUpdateConversations")
            .WithSummary("Change status, assignment or labels of up to 100 conversations at once; all or nothing.");

        return api;
    }
}

/// <summary>Query-string enums read as the JSON bodies write them (camelCase, any case), with a field error otherwise.</summary>
internal static class QueryValues
{
    public static T? Enum<T>(string? value, string field)
        where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(value, out _))
            return parsed;
        throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure(field,
            $"'{value}' is not one of: {string.Join(", ", System.Enum.GetNames<T>().Select(n => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n)))}.")]);
    }
}
