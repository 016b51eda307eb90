using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Contacts;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.DisplayName).HasMaxLength(Contact.MaxDisplayNameLength);
        builder.Property(c => c.Company).HasMaxLength(Contact.MaxCompanyLength);
        builder.Property(c => c.Locale).HasMaxLength(Contact.MaxLocaleLength);
        builder.Property(c => c.AvatarKey).HasMaxLength(Contact.MaxAvatarKeyLength);
        builder.PrimitiveCollection(c => c.PhoneNumbers).HasField("_phoneNumbers").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.PrimitiveCollection(c => c.Emails).HasField("_emails").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.PrimitiveCollection(c => c.Tags).HasField("_tags").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.PrimitiveCollection(c => c.AttributeIndex).HasField("_attributeIndex").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Property(c => c.Attributes)
            .HasConversion(JsonColumn.Converter<IReadOnlyDictionary<string, string>>(), JsonColumn.Comparer<IReadOnlyDictionary<string, string>>());
        builder.Property(c => c.ConsentHistory)
            .HasConversion(JsonColumn.Converter<IReadOnlyList<ConsentRecord>>(), JsonColumn.Comparer<IReadOnlyList<ConsentRecord>>());
        // Byte order ("C") on PostgreSQL, as SQLite's BINARY already is: the one index then answers both
        // LIKE 'prefix%' and ORDER BY name, whatever the database's default collation.
        builder.Property(c => c.NameKey).HasMaxLength(Contact.MaxDisplayNameLength);
        builder.HasIndex(c => new { c.WorkspaceId, c.NameKey, c.Id });

        // Search by number or address is array containment; GIN answers it on PostgreSQL (SQLite ignores the method).
        builder.HasIndex(c => c.PhoneNumbers).HasMethod("gin");
        builder.HasIndex(c => c.Emails).HasMethod("gin");
        builder.Ignore(c => c.DomainEvents);
    }
}
