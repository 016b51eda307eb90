using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Teams;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(Team.MaxNameLength);
        builder.PrimitiveCollection(t => t.MemberIds).HasField("_memberIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(t => new { t.WorkspaceId, t.Name }).IsUnique();
        builder.Ignore(t => t.DomainEvents);
    }
}
