using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class InboundEnvelopeConfiguration : IEntityTypeConfiguration<InboundEnvelope>
{
    public void Configure(EntityTypeBuilder<InboundEnvelope> builder)
    {
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.ProviderId).HasMaxLength(InboundEnvelope.MaxProviderIdLength);
        builder.Property(e => e.ConversationKey).HasMaxLength(InboundEnvelope.MaxConversationKeyLength);
        builder.Property(e => e.Payload).IsEncrypted();
        builder.Property(e => e.LastError).HasMaxLength(InboundEnvelope.MaxErrorLength);
        // The duplicate check: a redelivered update fails this insert instead of being read first.
        builder.HasIndex(e => new { e.ConnectionId, e.ProviderId }).IsUnique();
        builder.HasIndex(e => new { e.Status, e.NextAttemptAt });
        // Processed envelopes stay behind; the claim must only ever look at pending ones, in arrival order, and at
        // a conversation's older pending ones. Partial indexes keep both lookups the size of the backlog, not the table.
        builder.HasIndex(e => e.Id, "IX_InboundEnvelopes_Pending").HasFilter("\"Status\" = 0");
        builder.HasIndex(e => new { e.ConnectionId, e.ConversationKey, e.Id }, "IX_InboundEnvelopes_PendingByConversation").HasFilter("\"Status\" = 0");
        builder.HasOne<ChannelConnection>().WithMany().HasForeignKey(e => e.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(e => e.DomainEvents);
    }
}
