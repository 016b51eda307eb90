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
        builder.PrimitiveCollection(c => c.PhoneNumbers).HasField("_phoneNumbers").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.PrimitiveCollection(c => c.Emails).HasField("_emails").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(c => new { c.WorkspaceId, c.DisplayName });
        builder.Ignore(c => c.DomainEvents);
    }
}
