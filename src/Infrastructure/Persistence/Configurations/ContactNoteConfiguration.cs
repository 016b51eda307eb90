using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Infrastructure.Security;
using OneInbox.Domain.Contacts;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class ContactNoteConfiguration : IEntityTypeConfiguration<ContactNote>
{
    public void Configure(EntityTypeBuilder<ContactNote> builder)
    {
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Text).IsEncrypted();
        builder.HasIndex(n => new { n.ContactId, n.CreatedAt, n.Id }).IsDescending(false, true, true);
        builder.HasOne<Contact>().WithMany().HasForeignKey(n => n.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(n => n.DomainEvents);
    }
}
