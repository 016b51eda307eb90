using OneInbox.Application.Teams;

namespace OneInbox.Application.Flows;

/// <summary>
/// The conversation a flow acts on. Activities touch the outside world only through this port: the inbox
/// implements it with its commands (enlisted in the same unit of work as the instance state, so that state,
/// journal and outbound messages commit together); test runs implement it in memory.
/// </summary>
public interface IConversationActions
{
    /// <summary>Sends a free-form message; outside the channel's reply window this throws (the flow faults, people take over).</summary>
    ValueTask SendMessageAsync(BotMessage message, CancellationToken cancellationToken);

    /// <summary>Sends an approved message template (allowed at any time on WhatsApp); returns the text the inbox shows.</summary>
    ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken);

    /// <returns>The member the conversation went to, when the strategy picked one.</returns>
    ValueTask<Guid?> AssignToTeamAsync(Guid teamId, TeamAssignmentStrategy strategy, CancellationToken cancellationToken);

    ValueTask AssignToAgentAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The bot stops answering; people see the reason and what the bot collected.</summary>
    ValueTask HandOffAsync(string reason, string summary, CancellationToken cancellationToken);

    ValueTask AddNoteAsync(string text, CancellationToken cancellationToken);

    ValueTask SetPriorityAsync(string priority, CancellationToken cancellationToken);

    ValueTask ResolveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Asks the customer to rate the conversation (or to say more): sent like a message, but a resolved conversation
    /// stays resolved and the customer's answer comes back to it.
    /// </summary>
    ValueTask AskForRatingAsync(BotMessage question, CancellationToken cancellationToken) => SendMessageAsync(question, cancellationToken);

    /// <summary>Records the customer's rating, 1 to 5, on the conversation.</summary>
    ValueTask RateAsync(int score, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>No more answers are awaited; <paramref name="reopen"/>: the customer wrote something else, which people should see.</summary>
    ValueTask StopAwaitingRatingAsync(bool reopen, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask SetContactAttributeAsync(string name, string? value, CancellationToken cancellationToken);

    ValueTask AddTagAsync(string tag, CancellationToken cancellationToken);

    ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken);

    /// <summary>
    /// The customer asked for a human review of an automated decision: the conversation goes to people and a review case
    /// opens. Returns the case's reference, or null when the conversation has no automated decision to review.
    /// </summary>
    ValueTask<string?> RequestReviewAsync(string words, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Human review needs a live conversation.");

    /// <summary>
    /// The customer confirmed a privacy request (erasure, access, portability, restriction, objection to automation):
    /// it opens for the conversation's contact. Returns the text that tells them its reference and due date.
    /// </summary>
    ValueTask<string> RequestPrivacyAsync(string type, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A privacy request needs a live conversation.");
}

public sealed record BotMessage(string Text, IReadOnlyList<BotButton> Buttons, BotMedia? Media);

public sealed record BotButton(string Title, string Payload);

/// <param name="Url">A public https URL; the channel hands it to the provider, which fetches the file.</param>
/// <param name="Kind">image, video, audio or document.</param>
public sealed record BotMedia(string Url, string Kind)
{
    public static readonly IReadOnlyList<string> Kinds = ["image", "video", "audio", "document"];
}
