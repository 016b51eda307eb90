using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Contacts;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class ChannelIdentityConfiguration : IEntityTypeConfiguration<ChannelIdentity>
{
    public void Configure(EntityTypeBuilder<ChannelIdentity> builder)
    {
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.ExternalId).HasMaxLength(ChannelIdentity.MaxExternalIdLength);
        builder.Property(i => i.Username).HasMaxLength(ChannelIdentity.MaxUsernameLength);
        builder.HasIndex(i => new { i.WorkspaceId, i.Channel, i.ExternalId }).IsUnique();
        builder.HasIndex(i => i.ContactId);

        // Contact search looks an account up by its id or handle on any channel.
        builder.HasIndex(i => new { i.WorkspaceId, i.ExternalId });
        builder.HasIndex(i => new { i.WorkspaceId, i.Username });
        builder.HasOne<Contact>().WithMany().HasForeignKey(i => i.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(i => i.DomainEvents);
    }
}
