using OneInbox.Application.Channels;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Application.Privacy;
using OneInbox.Application.Reviews;
using OneInbox.Application.Teams;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Conversations;

namespace OneInbox.Infrastructure.Automation;

/// <summary>
/// Opens a conversation of the current workspace for a flow: its tracked aggregates (so what the flow does
/// is staged on the same unit of work as the instance) and the facts templates and conditions read.
/// Inside the inbound unit of work the conversation and contact may not be saved yet; they are found
/// among the tracked entities first.
/// </summary>
internal sealed class InboxFlowConversations(
    IOneInboxDb db, TeamRouting routing, ChannelModules modules, MessageTemplates templates, ReviewIntake reviews, ChatPrivacyRequests privacy,
    TimeProvider clock)
    : IFlowConversations
{
    public ValueTask<FlowConversation> OpenAsync(Guid? conversationId, CancellationToken cancellationToken) =>
        OpenAsync(conversationId, FlowReference.Unknown, cancellationToken);

    public async ValueTask<FlowConversation> OpenAsync(Guid? conversationId, string flowRef, CancellationToken cancellationToken)
    {
        if (conversationId is not { } id)
            return new FlowConversation(new NoConversationActions(), Empty, Empty, ContactRestricted: false);

        var conversation = await db.Conversations.FindAsync([id], cancellationToken)
            ?? throw new InvalidOperationException($"Conversation {id} does not exist in this workspace.");
        var contact = await db.Contacts.FindAsync([conversation.ContactId], cancellationToken)
            ?? throw new InvalidOperationException($"The contact of conversation {id} no longer exists.");
        return new FlowConversation(
            new InboxConversationActions(db, routing, modules, templates, reviews, privacy, conversation, contact, flowRef, clock),
            ContactFacts(contact),
            ConversationFacts(conversation),
            IsRestricted(contact));
    }

    /// <summary>A contact who restricted processing, or who is blocked, is left to people.</summary>
    public static bool IsRestricted(Contact contact) => contact.ProcessingRestricted || contact.Blocked;

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    private static Dictionary<string, object?> ContactFacts(Contact contact) => new(StringComparer.Ordinal)
    {
        ["id"] = contact.Id.ToString(),
        ["name"] = contact.DisplayName,
        ["company"] = contact.Company,
        ["locale"] = contact.Locale,
        ["tags"] = contact.Tags.ToList(),
        ["attributes"] = contact.Attributes.ToDictionary(a => a.Key, a => (object?)a.Value, StringComparer.Ordinal),
    };

    private static Dictionary<string, object?> ConversationFacts(Conversation conversation) => new(StringComparer.Ordinal)
    {
        ["id"] = conversation.Id.ToString(),
        ["channel"] = conversation.Channel.ToString().ToLowerInvariant(),
        ["connectionId"] = conversation.ConnectionId.ToString(),
        ["status"] = conversation.Status.ToString().ToLowerInvariant(),
        ["priority"] = conversation.Priority.ToString().ToLowerInvariant(),
        ["labels"] = conversation.Labels.ToList(),
    };
}
