using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

public record ReviewCaseDto(
    Guid Id,
    string Reference,
    ReviewStatus Status,
    ReviewSource Source,
    Guid ConversationId,
    Guid ContactId,
    string? ContactName,
    string Channel,
    string CustomerWords,
    DateTimeOffset OpenedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    Guid? OpenedBy,
    Guid? AssigneeId,
    string? AssigneeName,
    Guid? FlowId,
    string? FlowName,
    int? FlowVersion,
    Guid? InstanceId,
    int? ContestedSequence,
    string? ContestedNodeId,
    string? ContestedExplanation,
    ReviewDecisionDto? Decision,
    IReadOnlyList<ReviewEventDto> Trail) : IAboutContact;

public sealed record ReviewDecisionDto(
    ReviewStatus Outcome, string Reason, Guid? DecidedBy, string? DecidedByName, DateTimeOffset DecidedAt,
    IReadOnlyList<ReviewAction> Actions, string? CustomerMessage);

public sealed record ReviewEventDto(DateTimeOffset At, string? Actor, string Action, string? Detail);

/// <summary>A case with what its reviewer examines: the transcript around the decision and the flow runs it names.</summary>
public sealed record ReviewCaseDetailDto : ReviewCaseDto
{
    public ReviewCaseDetailDto(ReviewCaseDto review, IReadOnlyList<ReviewTranscriptLineDto> transcript, IReadOnlyList<ReviewedInstanceDto> instances)
        : base(review)
    {
        Transcript = transcript;
        Instances = instances;
    }

    public IReadOnlyList<ReviewTranscriptLineDto> Transcript { get; init; }

    public IReadOnlyList<ReviewedInstanceDto> Instances { get; init; }
}

public sealed record ReviewTranscriptLineDto(Guid Id, MessageDirection Direction, MessageAuthorType SenderType, string? Text, DateTimeOffset SentAt);

public sealed record ReviewedInstanceDto(
    Guid InstanceId, Guid FlowId, string? FlowName, int Version, string Status, DateTimeOffset StartedAt,
    JsonElement Graph, IReadOnlyList<string> Path, IReadOnlyList<ReviewedJournalEntryDto> Journal);

public sealed record ReviewedJournalEntryDto(
    int Sequence, string NodeId, string ActivityType, JsonElement Inputs, string? Outcome, DateTimeOffset StartedAt,
    bool Significant, string? Explanation, JsonElement? Variables, IReadOnlyList<string> MessagesSent, string? Error);

public static class ReviewCases
{
    /// <summary>A short code the customer can quote: the random tail of the case's id.</summary>
    public static string Reference(this ReviewCase review) => review.Id.ToString("N")[^8..].ToUpperInvariant();

    public static async Task<ReviewCase> GetReviewCaseAsync(this IOneInboxDb db, Guid caseId, CancellationToken cancellationToken) =>
        await db.ReviewCases.FirstOrDefaultAsync(r => r.Id == caseId, cancellationToken)
        ?? throw new NotFoundException("Review case", caseId);

    public static async Task<ReviewSettings> GetReviewSettingsAsync(this IOneInboxDb db, CancellationToken cancellationToken) =>
        await db.ReviewSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? ReviewSettings.Defaults();

    /// <summary>Cases as the API shows them, with the names of the people, contacts and flows they mention, read in a few queries.</summary>
    public static async Task<IReadOnlyList<ReviewCaseDto>> ToDtosAsync(this IOneInboxDb db, IReadOnlyList<ReviewCase> cases, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var userIds = cases.SelectMany(c => new[] { c.AssigneeId, c.DecidedBy, c.OpenedBy }.Concat(c.Trail.Select(t => t.By)))
            .OfType<Guid>().Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => userIds.Contains(m.UserId))
            .ToDictionaryAsync(m => m.UserId, m => m.DisplayName, cancellationToken);
        var contactIds = cases.Select(c => c.ContactId).Distinct().ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        var conversationIds = cases.Select(c => c.ConversationId).Distinct().ToList();
        var channels = await db.Conversations.AsNoTracking().Where(c => conversationIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Channel, cancellationToken);
        var flowIds = cases.Select(c => c.FlowId).OfType<Guid>().Distinct().ToList();
        var flows = await db.Flows.AsNoTracking().Where(f => flowIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);

        string? Name(Guid? id) => id is { } key ? members.GetValueOrDefault(key) : null;
        return cases.Select(c => new ReviewCaseDto(
            c.Id, c.Reference(), c.Status, c.Source, c.ConversationId, c.ContactId, contacts.GetValueOrDefault(c.ContactId),
            channels.TryGetValue(c.ConversationId, out var channel) ? channel.ToString().ToLowerInvariant() : "unknown",
            c.CustomerWords, c.OpenedAt, c.DueAt, c.IsOverdue(now), c.OpenedBy, c.AssigneeId, Name(c.AssigneeId),
            c.FlowId, c.FlowId is { } flowId ? flows.GetValueOrDefault(flowId) : null, c.FlowVersion, c.InstanceId,
            c.ContestedSequence, c.ContestedNodeId, c.ContestedExplanation,
            c.DecidedAt is { } decidedAt && c.Reason is { } reason
                ? new ReviewDecisionDto(c.Status, reason, c.DecidedBy, Name(c.DecidedBy), decidedAt, c.Actions, c.CustomerMessage)
                : null,
            c.Trail.Select(t => new ReviewEventDto(t.At, t.By is null ? "system" : Name(t.By) ?? t.By.ToString(), t.What, t.Detail)).ToList()))
            .ToList();
    }

    public static async Task<ReviewCaseDto> ToDtoAsync(this IOneInboxDb db, ReviewCase review, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await db.ToDtosAsync([review], now, cancellationToken))[0];
}
