using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Channels;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class ChannelConnectionConfiguration : IEntityTypeConfiguration<ChannelConnection>
{
    public void Configure(EntityTypeBuilder<ChannelConnection> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(ChannelConnection.MaxNameLength);
        builder.Property(c => c.Credentials).IsEncrypted();
        builder.Property(c => c.InboundSecret).IsEncrypted();
        builder.Property(c => c.BaseUrl).HasMaxLength(2000);
        builder.Property(c => c.CallbackUrl).HasMaxLength(2000);
        builder.Property(c => c.LastError).HasMaxLength(ChannelConnection.MaxErrorLength);
        builder.Ignore(c => c.DomainEvents);
    }
}
