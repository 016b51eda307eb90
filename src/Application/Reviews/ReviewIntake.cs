using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Flows;
using OneInbox.Application.Identity;
using OneInbox.Domain.Reviews;

namespace OneInbox.Application.Reviews;

/// <summary>
/// The one way a review case opens, whoever asks: the customer's words in the chat, a flow's RequestReview button, an
/// agent through the API. It finds the automated decision contested (the step the caller names, else the latest
/// significant decision of the conversation's flow runs of the last 30 days, else the latest run), hands the
/// conversation to people, opens the case and tells the customer when to expect the answer. It stages everything on
/// the caller's unit of work and never saves.
/// </summary>
public sealed class ReviewIntake(IOneInboxDb db, IAuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(30);

    public const string ReviewRef = "review";

    public const string HandOffReason = "The customer asked for a human review of an automated decision; a person takes over.";

    /// <summary>Whether an open case already exists for the conversation: a second request joins it instead.</summary>
    public Task<bool> HasOpenCaseAsync(Guid conversationId, CancellationToken cancellationToken) =>
        db.ReviewCases.AnyAsync(r => r.ConversationId == conversationId && (r.Status == ReviewStatus.Open || r.Status == ReviewStatus.InReview), cancellationToken);

    /// <returns>The case, or null when the conversation has no automated decision of the last 30 days to contest.</returns>
    public async Task<ReviewCase?> OpenAsync(
        Guid conversationId, ReviewSource source, string words, Guid? openedBy, Guid? instanceId, int? sequence, IConversationActions actions,
        CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FindAsync([conversationId], cancellationToken)
            ?? throw new NotFoundException("Conversation", conversationId);
        var decision = await ContestedAsync(conversationId, instanceId, sequence, cancellationToken);
        if (decision is null)
            return null;

        var settings = await db.GetReviewSettingsAsync(cancellationToken);
        var review = ReviewCase.Open(conversationId, conversation.ContactId, source, words, decision, settings.DueDays, openedBy, clock);
        db.ReviewCases.Add(review);
        if (!conversation.IsHandedOff)
            await actions.HandOffAsync(HandOffReason, $"Review case {review.Reference()}: \"{review.CustomerWords}\"", cancellationToken);
        await TellAsync(review, actions, settings.OpenedMessage, cancellationToken);
        audit.Record("review.opened", review.Id.ToString(), $"{source}, flow {decision.FlowId} v{decision.FlowVersion}, step {decision.NodeId ?? "(none)"}");
        return review;
    }

    /// <summary>Renders one of the workspace's messages for the case and sends it over the customer's channel; a refusal (WhatsApp's closed window) is noted, not thrown.</summary>
    public async Task TellAsync(ReviewCase review, IConversationActions actions, string template, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await LiquidTemplates.RenderAsync(template, new Dictionary<string, IReadOnlyDictionary<string, object?>>
            {
                ["case"] = new Dictionary<string, object?>
                {
                    ["reference"] = review.Reference(),
                    ["dueDate"] = review.DueAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["status"] = review.Status.ToString(),
                    ["outcome"] = review.Status.ToString().ToLowerInvariant(),
                    ["reason"] = review.Reason,
                },
            });
            await actions.SendMessageAsync(new BotMessage(text.Trim(), [], null), cancellationToken);
        }
        catch (Exception e) when (e is UnprocessableException or Domain.Common.DomainException or InvalidOperationException)
        {
            review.Note(clock.GetUtcNow(), "customer_not_told", null, e.Message);
            return;
        }
        review.RecordCustomerMessage(text.Trim(), clock);
    }

    private async Task<ContestedDecision?> ContestedAsync(Guid conversationId, Guid? instanceId, int? sequence, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Lookback;
        var instances = await db.FlowInstances.AsNoTracking()
            .Where(i => i.ConversationId == conversationId && i.StartedAt >= since)
            .Select(i => new { i.Id, i.FlowId, i.Version, i.StartedAt })
            .ToListAsync(cancellationToken);
        if (instances.Count == 0)
            return instanceId is null ? null : throw new UnprocessableException("review.instance", "That flow run is not one of this conversation's of the last 30 days.");

        var ids = instances.Select(i => i.Id).ToList();
        if (instanceId is { } chosenId)
        {
            var chosen = instances.FirstOrDefault(i => i.Id == chosenId)
                ?? throw new UnprocessableException("review.instance", "That flow run is not one of this conversation's of the last 30 days.");
            if (sequence is null)
                return new ContestedDecision(chosen.Id, chosen.FlowId, chosen.Version, null, null, null);
            var step = await db.FlowJournal.AsNoTracking().FirstOrDefaultAsync(j => j.InstanceId == chosenId && j.Sequence == sequence, cancellationToken)
                ?? throw new UnprocessableException("review.step", $"The flow run has no step {sequence}.");
            return new ContestedDecision(chosen.Id, chosen.FlowId, chosen.Version, step.Sequence, step.NodeId, step.Explanation);
        }

        // The latest significant decision (the explanation is sealed, but whether it is set is not).
        var significant = await db.FlowJournal.AsNoTracking()
            .Where(j => ids.Contains(j.InstanceId) && j.Explanation != null)
            .OrderByDescending(j => j.StartedAt).ThenByDescending(j => j.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
        if (significant is not null)
        {
            var run = instances.First(i => i.Id == significant.InstanceId);
            return new ContestedDecision(run.Id, run.FlowId, run.Version, significant.Sequence, significant.NodeId, significant.Explanation);
        }
        var latest = instances.OrderByDescending(i => i.StartedAt).First();
        return new ContestedDecision(latest.Id, latest.FlowId, latest.Version, null, null, null);
    }
}
