using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Application.Privacy;
using OneInbox.Application.Reviews;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Conversations.Events;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Reviews;
using OneInbox.Workflows.Runtime;
using OneInbox.Workflows.Triggers;

namespace OneInbox.Workflows.Instances;

/// <summary>
/// Runs flows for live conversations. The inbox's domain events are published by SaveChangesAsync before
/// the commit, so whatever this does (instance state, journal, automated replies, outbox rows, assignment,
/// hand-off) commits in one transaction with the customer's message, or not at all. It never saves itself.
/// The envelope processor gives each conversation one writer at a time; a concurrent loser fails on the
/// instance's concurrency token or the one-flow-per-conversation index, and its envelope is retried whole.
/// </summary>
public sealed class FlowEventHandler(
    IOneInboxDb db,
    IFlowConversations conversations,
    FlowExecutor executor,
    TriggerMatcher matcher,
    PublishedTriggers published,
    WorkspaceContext workspace,
    ReviewIntake reviews,
    IFlowInterrupter interrupter,
    ChatPrivacyRequests privacy,
    IServiceProvider services)
    : INotificationHandler<MessageReceived>,
      INotificationHandler<ConversationCreated>,
      INotificationHandler<ConversationResolved>,
      INotificationHandler<ConversationReleased>
{
    public const string MessageReceivedTrigger = "MessageReceived";
    public const string ConversationCreatedTrigger = "ConversationCreated";
    public const string ConversationResolvedTrigger = "ConversationResolved";

    /// <summary>How the automatic answers to privacy phrases are named on the messages.</summary>
    public const string PrivacyRef = "privacy";

    private ReviewSettings? _reviewSettings;

    public async ValueTask Handle(MessageReceived notification, CancellationToken cancellationToken)
    {
        var message = await db.Messages.FindAsync([notification.MessageId], cancellationToken);
        var conversation = await db.Conversations.FindAsync([notification.ConversationId], cancellationToken);
        if (message is null || conversation is null || message.Direction != MessageDirection.Inbound)
            return;
        // The customer's rights come before any flow: a privacy phrase or its confirmation, then a contested decision.
        if (await privacy.HandleAsync(conversation, message, async () => (await conversations.OpenAsync(conversation.Id, PrivacyRef, cancellationToken)).Actions, cancellationToken)
            || await ContestAsync(conversation, message, cancellationToken))
            return;

        var active = await ActiveInstanceAsync(conversation, cancellationToken);
        // A flow started on the conversation's creation in this same unit of work: this message opened the
        // conversation, it is not an answer to what that flow just asked.
        if (active is not null && db.FlowInstances.Entry(active).State == EntityState.Added)
            return;

        if (active is not null)
        {
            var opened = await OpenAsync(conversation.Id, active.FlowId, active.Version, cancellationToken);
            if (!opened.ContactRestricted && (conversation.IsHandedOff || active.Status != FlowInstanceStatus.Waiting))
                return;
            Stimulus stimulus = opened.ContactRestricted
                ? new PrivacyStopStimulus()
                : new MessageStimulus(message.Text, message.ButtonPayload, message.Id.ToString());
            await ResumeAsync(active, opened, stimulus, cancellationToken);
            return;
        }

        if (conversation.IsHandedOff)
            return;
        var firstMessage = db.Conversations.Entry(conversation).State == EntityState.Added
            || !await db.Messages.AnyAsync(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound && m.Id != message.Id, cancellationToken);
        var trigger = new TriggerEvent(MessageReceivedTrigger, conversation.Channel.ToString(), conversation.ConnectionId, firstMessage, message.Text ?? message.ButtonPayload);
        await StartMatchingAsync(conversation, trigger, new MessageStimulus(message.Text, message.ButtonPayload, message.Id.ToString()), cancellationToken);
    }

    public async ValueTask Handle(ConversationCreated notification, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FindAsync([notification.ConversationId], cancellationToken);
        if (conversation is null || conversation.IsHandedOff || await ActiveInstanceAsync(conversation, cancellationToken) is not null)
            return;
        await StartMatchingAsync(conversation, new TriggerEvent(ConversationCreatedTrigger, conversation.Channel.ToString(), conversation.ConnectionId, FirstMessage: true), null, cancellationToken);
    }

    public async ValueTask Handle(ConversationResolved notification, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FindAsync([notification.ConversationId], cancellationToken);
        if (conversation is null || conversation.IsHandedOff || await ActiveInstanceAsync(conversation, cancellationToken) is not null)
            return;
        await StartMatchingAsync(conversation, new TriggerEvent(ConversationResolvedTrigger, conversation.Channel.ToString(), conversation.ConnectionId), null, cancellationToken);
    }

    /// <summary>An agent gave the conversation back: a flow that handed off with "resume when released" continues.</summary>
    public async ValueTask Handle(ConversationReleased notification, CancellationToken cancellationToken)
    {
        if (await ActiveInstanceAsync(notification.ConversationId, isNew: false, cancellationToken) is not { Status: FlowInstanceStatus.Waiting } active)
            return;
        var opened = await OpenAsync(notification.ConversationId, active.FlowId, active.Version, cancellationToken);
        await ResumeAsync(active, opened, opened.ContactRestricted ? new PrivacyStopStimulus() : new ReleasedStimulus(), cancellationToken);
    }

    /// <summary>
    /// The customer's words ask for a human review (one of the workspace's phrases) of what a bot decided here in the
    /// last 30 days: a waiting flow stops (its journal says why), people take over and a review case opens. A
    /// conversation with an open case, or without any automated decision, carries on as usual.
    /// </summary>
    private async Task<bool> ContestAsync(Conversation conversation, Message message, CancellationToken cancellationToken)
    {
        if (db.Conversations.Entry(conversation).State == EntityState.Added)
            return false;
        _reviewSettings ??= await db.GetReviewSettingsAsync(cancellationToken);
        if (!_reviewSettings.IsContest(message.Text) || await reviews.HasOpenCaseAsync(conversation.Id, cancellationToken))
            return false;
        await interrupter.StopForReviewAsync(conversation.Id, cancellationToken);
        var opened = await conversations.OpenAsync(conversation.Id, ReviewIntake.ReviewRef, cancellationToken);
        return await reviews.OpenAsync(conversation.Id, ReviewSource.Chat, message.Text!, null, null, null, opened.Actions, cancellationToken) is not null;
    }

    /// <summary>A contact who restricted processing is never handled by automation: the runtime ends the waiting instance instead.</summary>
    private async Task ResumeAsync(FlowInstance active, FlowConversation opened, Stimulus stimulus, CancellationToken cancellationToken)
    {
        var version = await db.FlowVersions.SingleAsync(v => v.Id == active.FlowVersionId, cancellationToken);
        await executor.ResumeAsync(active, version, Context(opened, active.ConversationId), stimulus, cancellationToken);
    }

    private async Task StartMatchingAsync(Conversation conversation, TriggerEvent trigger, MessageStimulus? message, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FindAsync([conversation.ContactId], cancellationToken);
        if (contact is null || contact.ProcessingRestricted || contact.Blocked)
            return;
        if (matcher.Select(await TriggersAsync(trigger.Type, cancellationToken), trigger) is not { } chosen)
            return;
        // Tracked: the next conversation of the same unit of work finds the version without a query.
        var version = await db.FlowVersions.FindAsync([chosen.FlowVersionId], cancellationToken)
            ?? throw new InvalidOperationException($"Flow version {chosen.FlowVersionId} of a published trigger does not exist.");
        var opened = await OpenAsync(conversation.Id, chosen.FlowId, chosen.Version, cancellationToken);
        if (opened.ContactRestricted)
            return;
        await executor.StartAsync(version, Context(opened, conversation.Id), message, cancellationToken);
    }

    private Task<IReadOnlyList<FlowTrigger>> TriggersAsync(string type, CancellationToken cancellationToken) =>
        published.OfTypeAsync(db, workspace.FilterId, type, cancellationToken);

    private Task<FlowInstance?> ActiveInstanceAsync(Conversation conversation, CancellationToken cancellationToken) =>
        ActiveInstanceAsync(conversation.Id, db.Conversations.Entry(conversation).State == EntityState.Added, cancellationToken);

    /// <summary>
    /// The one flow in progress of a conversation: one started earlier in this unit of work (not saved yet)
    /// or one in the database. Rows read here are tracked, so their current state is what counts.
    /// A conversation opened in this unit of work has nothing in the database yet.
    /// </summary>
    private async Task<FlowInstance?> ActiveInstanceAsync(Guid conversationId, bool isNew, CancellationToken cancellationToken)
    {
        if (db.Tracked<FlowInstance>().FirstOrDefault(i => i.ConversationId == conversationId && i.IsActive) is { } local)
            return local;
        if (isNew)
            return null;
        var stored = await db.FlowInstances
            .Where(i => i.ConversationId == conversationId
                        && (i.Status == FlowInstanceStatus.Running || i.Status == FlowInstanceStatus.Waiting || i.Status == FlowInstanceStatus.Faulted))
            .ToListAsync(cancellationToken);
        return stored.FirstOrDefault(i => i.IsActive);
    }

    private ValueTask<FlowConversation> OpenAsync(Guid conversationId, Guid flowId, int version, CancellationToken cancellationToken) =>
        conversations.OpenAsync(conversationId, FlowReference.For(flowId, version), cancellationToken);

    private FlowRunContext Context(FlowConversation opened, Guid? conversationId) => FlowRunContext.For(opened, conversationId, services);
}
