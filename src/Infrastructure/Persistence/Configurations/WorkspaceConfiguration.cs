using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Workspaces;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Name).HasMaxLength(Workspace.MaxNameLength);
        builder.Property(w => w.Slug).HasMaxLength(64);
        builder.HasIndex(w => w.Slug).IsUnique();
        builder.Property(w => w.TimeZone).HasMaxLength(64);
        builder.Property(w => w.BusinessHours)
            .HasConversion(JsonColumn.Converter<BusinessHours>(), JsonColumn.Comparer<BusinessHours>());
        builder.Ignore(w => w.Calendar);
        builder.Ignore(w => w.IsClosed);
        builder.Ignore(w => w.DomainEvents);
    }
}
