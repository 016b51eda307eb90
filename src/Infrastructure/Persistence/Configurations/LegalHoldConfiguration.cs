using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Privacy;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> builder)
    {
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.Reason).HasMaxLength(LegalHold.MaxReasonLength);
        // No foreign key to the contact: a hold is the record of a duty and outlives the contact it named.
        builder.HasIndex(h => new { h.WorkspaceId, h.ContactId });
        builder.Ignore(h => h.IsActive);
        builder.Ignore(h => h.DomainEvents);
    }
}
