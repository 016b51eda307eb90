using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Conversations;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ConversationKey).HasMaxLength(Conversation.MaxConversationKeyLength);
        builder.PrimitiveCollection(c => c.Labels).HasField("_labels").UsePropertyAccessMode(PropertyAccessMode.Field);

        // One unresolved conversation per contact and connection, enforced by the database too, so two
        // processors racing on a contact's first messages cannot open two.
        builder.HasIndex(c => new { c.ContactId, c.ConnectionId, c.ConversationKey }).IsUnique().HasFilter("\"Status\" <> 3")
            .HasDatabaseName("IX_Conversations_OneUnresolvedPerContactAndConnection");

        // The inbox: newest activity first, narrowed by status and assignee (the agents' default view).
        builder.HasIndex(c => new { c.WorkspaceId, c.Status, c.AssigneeId, c.LastActivityAt, c.Id }).IsDescending(false, false, false, true, true);
        builder.HasIndex(c => new { c.WorkspaceId, c.LastActivityAt, c.Id }).IsDescending(false, true, true);
        builder.HasIndex(c => c.ContactId);
        builder.Property(c => c.HandOffReason).HasMaxLength(Conversation.MaxHandOffReasonLength);
        builder.Property(c => c.HandOffSummary).HasMaxLength(Conversation.MaxHandOffSummaryLength);
        builder.Property(c => c.UnreadCustomerMessageId).HasMaxLength(ReceiveMessageValidator.MaxProviderIdLength);
        builder.Ignore(c => c.IsHandedOff);
        builder.Ignore(c => c.DomainEvents);
    }
}
