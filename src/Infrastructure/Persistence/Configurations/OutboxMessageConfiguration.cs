using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Payload).IsEncrypted();
        builder.Property(o => o.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        builder.Property(o => o.ProviderMessageId).HasMaxLength(200);
        builder.HasIndex(o => new { o.Status, o.NextAttemptAt });
        // Sent rows stay behind; the claim reads pending rows in order through this index, whatever the table's size.
        builder.HasIndex(o => o.Id, "IX_OutboxMessages_Pending").HasFilter("\"Status\" = 0");
        builder.HasIndex(o => new { o.ConnectionId, o.Status });
        builder.HasIndex(o => o.MessageId);
        builder.Ignore(o => o.DomainEvents);
    }
}
