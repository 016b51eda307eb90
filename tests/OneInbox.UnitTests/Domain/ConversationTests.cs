using Microsoft.Extensions.Time.Testing;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Conversations.Events;

namespace OneInbox.UnitTests.Domain;

public class ConversationTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_customer_message_starts_the_wait_and_announces_itself()
    {
        var conversation = NewConversation();

        var message = Receive(conversation, "m1");

        Assert.Equal(_clock.GetUtcNow(), conversation.WaitingSince);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal(DeliveryStatus.Received, message.Status);
        Assert.Contains(new MessageReceived(conversation.Id, message.Id, conversation.ContactId), conversation.DomainEvents);
        Assert.Contains(new MessageCreated(conversation.Id, message.Id), message.DomainEvents);
    }

    [Fact]
    public void Handing_off_keeps_the_reason_and_summary_for_people_and_leaves_a_history_line()
    {
        var conversation = NewConversation();

        var line = conversation.HandOff("The customer asked for a person.", "email: ada@example.com", _clock);

        Assert.True(conversation.IsHandedOff);
        Assert.Equal(("The customer asked for a person.", "email: ada@example.com", _clock.GetUtcNow()),
            (conversation.HandOffReason, conversation.HandOffSummary, conversation.HandedOffAt));
        Assert.Equal(MessageKind.SystemEvent, line.Kind);
        Assert.True(line.IsPrivate);
        Assert.Contains(new ConversationHandedOff(conversation.Id, "The customer asked for a person."), conversation.DomainEvents);
    }

    [Fact]
    public void Releasing_gives_the_conversation_back_to_automation_once()
    {
        var conversation = NewConversation();
        conversation.HandOff("reason", null, _clock);

        conversation.Release(null, _clock);

        Assert.False(conversation.IsHandedOff);
        Assert.Null(conversation.HandOffReason);
        Assert.Contains(new ConversationReleased(conversation.Id), conversation.DomainEvents);
        Assert.Throws<DomainException>(() => conversation.Release(null, _clock));
    }

    [Fact]
    public void Assigning_a_member_records_when_so_round_robin_can_pick_who_waited_longest()
    {
        var conversation = NewConversation();

        conversation.AssignTo(Guid.NewGuid(), null, _clock);
        var assignedAt = conversation.AssignedAt;
        conversation.AssignTo(null, null, _clock);

        Assert.Equal(_clock.GetUtcNow(), assignedAt);
        Assert.Null(conversation.AssignedAt);
    }

    [Fact]
    public void The_wait_counts_from_the_first_unanswered_message()
    {
        var conversation = NewConversation();
        Receive(conversation, "m1");
        var firstAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromMinutes(3));

        Receive(conversation, "m2");

        Assert.Equal(firstAt, conversation.WaitingSince);
    }

    [Fact]
    public void The_first_reply_records_the_first_response_time_and_ends_the_wait()
    {
        var conversation = NewConversation();
        Receive(conversation, "m1");
        _clock.Advance(TimeSpan.FromMinutes(2));
        var firstReplyAt = _clock.GetUtcNow();

        var reply = conversation.Reply(MessageAuthorType.Agent, Guid.NewGuid(), null, MessageKind.Text, "Hello", [], _clock);
        _clock.Advance(TimeSpan.FromMinutes(2));
        conversation.Reply(MessageAuthorType.Agent, Guid.NewGuid(), null, MessageKind.Text, "Anything else?", [], _clock);

        Assert.Equal(firstReplyAt, conversation.FirstResponseAt);
        Assert.Null(conversation.WaitingSince);
        Assert.Equal(DeliveryStatus.Queued, reply.Status);
    }

    [Fact]
    public void Replying_to_a_resolved_conversation_reopens_it()
    {
        var conversation = NewConversation();
        conversation.ChangeStatus(ConversationStatus.Resolved, null, null, _clock);

        conversation.Reply(MessageAuthorType.Agent, Guid.NewGuid(), null, MessageKind.Text, "One more thing", [], _clock);

        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Null(conversation.ResolvedAt);
        Assert.Contains(new ConversationUpdated(conversation.Id, "reopened"), conversation.DomainEvents);
    }

    [Fact]
    public void Resolving_records_the_resolution_time_and_raises_an_event()
    {
        var conversation = NewConversation();
        _clock.Advance(TimeSpan.FromHours(1));

        var line = conversation.ChangeStatus(ConversationStatus.Resolved, null, null, _clock);

        Assert.Equal(_clock.GetUtcNow(), conversation.ResolvedAt);
        Assert.Contains(new ConversationResolved(conversation.Id, _clock.GetUtcNow()), conversation.DomainEvents);
        Assert.Equal(MessageKind.SystemEvent, line!.Kind);
    }

    [Fact]
    public void A_resolved_conversation_takes_no_new_customer_messages()
    {
        var conversation = NewConversation();
        conversation.ChangeStatus(ConversationStatus.Resolved, null, null, _clock);

        var error = Assert.Throws<DomainException>(() => Receive(conversation, "m1"));
        Assert.Equal("conversation.resolved", error.Code);
    }

    [Fact]
    public void A_customer_message_wakes_a_snoozed_conversation()
    {
        var conversation = NewConversation();
        conversation.ChangeStatus(ConversationStatus.Snoozed, _clock.GetUtcNow().AddHours(4), null, _clock);

        Receive(conversation, "m1");

        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Null(conversation.SnoozedUntil);
    }

    [Fact]
    public void Snoozing_needs_a_time_in_the_future()
    {
        var conversation = NewConversation();

        Assert.Throws<DomainException>(() => conversation.ChangeStatus(ConversationStatus.Snoozed, _clock.GetUtcNow().AddMinutes(-1), null, _clock));
        Assert.Throws<DomainException>(() => conversation.ChangeStatus(ConversationStatus.Snoozed, null, null, _clock));
        Assert.Equal(ConversationStatus.Open, conversation.Status);
    }

    [Fact]
    public void A_snoozed_conversation_wakes_only_once_its_time_has_come()
    {
        var conversation = NewConversation();
        conversation.ChangeStatus(ConversationStatus.Snoozed, _clock.GetUtcNow().AddHours(1), null, _clock);

        Assert.False(conversation.Wake(_clock));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(conversation.Wake(_clock));
        Assert.Equal(ConversationStatus.Open, conversation.Status);
    }

    [Fact]
    public void Assigning_twice_to_the_same_agent_changes_nothing_the_second_time()
    {
        var conversation = NewConversation();
        var agent = Guid.NewGuid();

        Assert.NotNull(conversation.AssignTo(agent, null, _clock));
        conversation.ClearDomainEvents();
        Assert.Null(conversation.AssignTo(agent, null, _clock));

        Assert.Equal(agent, conversation.AssigneeId);
        Assert.Empty(conversation.DomainEvents);
    }

    [Fact]
    public void Labels_are_lower_cased_and_kept_once()
    {
        var conversation = NewConversation();

        conversation.SetLabels(["VIP", "vip ", "Billing"], _clock);

        Assert.Equal(["billing", "vip"], conversation.Labels);
    }

    [Fact]
    public void A_note_is_private_and_does_not_end_the_wait()
    {
        var conversation = NewConversation();
        Receive(conversation, "m1");

        var note = conversation.AddNote(Guid.NewGuid(), "Customer is a VIP", _clock);

        Assert.True(note.IsPrivate);
        Assert.Equal(DeliveryStatus.Internal, note.Status);
        Assert.NotNull(conversation.WaitingSince);
        Assert.Null(conversation.FirstResponseAt);
    }

    [Fact]
    public void An_automated_reply_names_its_flow()
    {
        var conversation = NewConversation();

        Assert.Throws<DomainException>(() => conversation.Reply(MessageAuthorType.Automation, null, null, MessageKind.Text, "Hi", [], _clock));
        var reply = conversation.Reply(MessageAuthorType.Automation, null, "welcome@3", MessageKind.Text, "Hi", [], _clock);
        Assert.Equal("welcome@3", reply.FlowRef);
    }

    [Fact]
    public void Delivery_status_only_moves_forward()
    {
        var conversation = NewConversation();
        var reply = conversation.Reply(MessageAuthorType.Agent, Guid.NewGuid(), null, MessageKind.Text, "Hi", [], _clock);

        Assert.True(reply.RecordDelivery(DeliveryStatus.Read, "p1", null, _clock));
        Assert.False(reply.RecordDelivery(DeliveryStatus.Delivered, "p1", null, _clock));
        Assert.False(reply.RecordDelivery(DeliveryStatus.Failed, "p1", "late failure", _clock));

        Assert.Equal(DeliveryStatus.Read, reply.Status);
        Assert.Null(reply.FailureReason);
    }

    [Fact]
    public void A_failed_delivery_keeps_its_reason()
    {
        var conversation = NewConversation();
        var reply = conversation.Reply(MessageAuthorType.Agent, Guid.NewGuid(), null, MessageKind.Text, "Hi", [], _clock);

        reply.RecordDelivery(DeliveryStatus.Failed, null, "blocked by user", _clock);

        Assert.Equal(DeliveryStatus.Failed, reply.Status);
        Assert.Equal("blocked by user", reply.FailureReason);
    }

    [Fact]
    public void An_edit_with_the_same_text_changes_nothing()
    {
        var conversation = NewConversation();
        var message = Receive(conversation, "m1");
        message.ClearDomainEvents();

        Assert.False(message.Edit("hello", _clock));
        Assert.True(message.Edit("hello there", _clock));

        Assert.Equal("hello there", message.Text);
        Assert.Equal(_clock.GetUtcNow(), message.EditedAt);
        Assert.Single(message.DomainEvents);
    }

    private Conversation NewConversation() =>
        Conversation.Open(Guid.NewGuid(), Guid.NewGuid(), ChannelType.Telegram, "chat-1", _clock);

    private Message Receive(Conversation conversation, string providerId) =>
        conversation.Receive(providerId, MessageKind.Text, "hello", [], null, null, _clock.GetUtcNow(), _clock);
}
