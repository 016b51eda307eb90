using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Contacts;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class AttributeDefinitionConfiguration : IEntityTypeConfiguration<AttributeDefinition>
{
    public void Configure(EntityTypeBuilder<AttributeDefinition> builder)
    {
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Key).HasMaxLength(AttributeDefinition.MaxKeyLength);
        builder.Property(a => a.Label).HasMaxLength(AttributeDefinition.MaxLabelLength);
        builder.PrimitiveCollection(a => a.Options).HasField("_options").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(a => new { a.WorkspaceId, a.Key }).IsUnique();
        builder.Ignore(a => a.DomainEvents);
    }
}
