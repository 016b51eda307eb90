using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Conversations;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class ConversationReadMarkConfiguration : IEntityTypeConfiguration<ConversationReadMark>
{
    public void Configure(EntityTypeBuilder<ConversationReadMark> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();

        // One mark per member and conversation; also the lookup the inbox's unread count makes per row.
        builder.HasIndex(r => new { r.ConversationId, r.UserId }).IsUnique();
        builder.HasOne<Conversation>().WithMany().HasForeignKey(r => r.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(r => r.DomainEvents);
    }
}
