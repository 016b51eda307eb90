using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.CannedResponses;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class CannedResponseConfiguration : IEntityTypeConfiguration<CannedResponse>
{
    public void Configure(EntityTypeBuilder<CannedResponse> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.ShortCode).HasMaxLength(CannedResponse.MaxShortCodeLength);
        builder.Property(r => r.Text).HasMaxLength(CannedResponse.MaxTextLength);
        builder.HasIndex(r => new { r.WorkspaceId, r.ShortCode }).IsUnique();
        builder.Ignore(r => r.DomainEvents);
    }
}
