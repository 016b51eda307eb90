using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class RetentionSettingsConfiguration : IEntityTypeConfiguration<RetentionSettings>
{
    public void Configure(EntityTypeBuilder<RetentionSettings> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.KeepMessagesReason).HasMaxLength(RetentionSettings.MaxReasonLength);
        builder.HasIndex(s => s.WorkspaceId).IsUnique();
        builder.Ignore(s => s.DomainEvents);
    }
}
