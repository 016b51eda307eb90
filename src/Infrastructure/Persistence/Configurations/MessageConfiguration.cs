using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Infrastructure.Security;
using OneInbox.Application.Conversations;
using OneInbox.Domain.Conversations;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Id).ValueGeneratedNever();
        // Message content is personal data: encrypted at rest (the domain still caps its length).
        builder.Property<string>(nameof(Message.Text)).IsEncrypted();
        builder.Property(m => m.ProviderMessageId).HasMaxLength(ReceiveMessageValidator.MaxProviderIdLength);
        builder.Property(m => m.FlowRef).HasMaxLength(200);
        builder.Property(m => m.ButtonPayload).HasMaxLength(1000);
        builder.Property(m => m.FailureReason).HasMaxLength(Message.MaxFailureReasonLength);
        builder.Property(m => m.Attachments)
            .HasConversion(JsonColumn.Converter<IReadOnlyList<MessageAttachment>>(), JsonColumn.Comparer<IReadOnlyList<MessageAttachment>>());
        builder.Property(m => m.Location)
            .HasConversion(JsonColumn.Converter<MessageLocation?>(), JsonColumn.Comparer<MessageLocation?>());

        // The provider's id is unique per connection: a redelivered webhook finds the message it already stored.
        builder.HasIndex(m => new { m.ConnectionId, m.ProviderMessageId }).IsUnique();

        // A conversation's latest messages (and, through its conversations, a contact's timeline).
        builder.HasIndex(m => new { m.ConversationId, m.CreatedAt, m.Id }).IsDescending(false, true, true);
        builder.Ignore(m => m.DomainEvents);
    }
}
