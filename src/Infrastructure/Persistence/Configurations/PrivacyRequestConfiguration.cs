using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Privacy;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class PrivacyRequestConfiguration : IEntityTypeConfiguration<PrivacyRequest>
{
    public void Configure(EntityTypeBuilder<PrivacyRequest> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.CorrectionField).HasMaxLength(PrivacyRequest.MaxFieldLength);
        // The corrected value is the person's data (a new name, a new address): encrypted like their messages.
        builder.Property<string>(nameof(PrivacyRequest.CorrectionValue)).IsEncrypted();
        builder.Property(r => r.Outcome).HasMaxLength(PrivacyRequest.MaxTextLength + 50);
        builder.Property(r => r.RefusalReason).HasMaxLength(PrivacyRequest.MaxTextLength);
        builder.Property(r => r.RefusalLegalBasis).HasMaxLength(PrivacyRequest.MaxTextLength);
        builder.Property(r => r.SubjectHash).HasMaxLength(64);
        builder.Property(r => r.SubjectSalt).HasMaxLength(32);
        builder.Property(r => r.ConfirmationCode).HasMaxLength(32);
        builder.HasIndex(r => r.ConfirmationCode).IsUnique();
        builder.Property(r => r.Timeline)
            .HasConversion(JsonColumn.Converter<IReadOnlyList<PrivacyRequestEvent>>(), JsonColumn.Comparer<IReadOnlyList<PrivacyRequestEvent>>());
        // The case list reads open cases by due date; the daily job reads them across workspaces.
        builder.HasIndex(r => new { r.WorkspaceId, r.Status, r.DueAt });
        builder.HasIndex(r => new { r.WorkspaceId, r.ContactId });
        builder.Ignore(r => r.IsOpen);
        builder.Ignore(r => r.DomainEvents);
    }
}

internal sealed class PrivacyExportConfiguration : IEntityTypeConfiguration<PrivacyExport>
{
    public void Configure(EntityTypeBuilder<PrivacyExport> builder)
    {
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.StorageKey).HasMaxLength(300);
        builder.Property(e => e.Error).HasMaxLength(500);
        // The builder claims pending exports across workspaces; the purge finds old ones.
        builder.HasIndex(e => new { e.Status, e.ClaimedUntil });
        builder.HasIndex(e => new { e.WorkspaceId, e.RequestId });
        builder.Ignore(e => e.ExpiresAt);
        builder.Ignore(e => e.DomainEvents);
    }
}

internal sealed class PrivacySettingsConfiguration : IEntityTypeConfiguration<PrivacySettings>
{
    public void Configure(EntityTypeBuilder<PrivacySettings> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.ErasureConfirmation).HasMaxLength(1000);
        builder.PrimitiveCollection(s => s.ErasurePhrases);
        builder.PrimitiveCollection(s => s.AccessPhrases);
        builder.PrimitiveCollection(s => s.StopPhrases);
        builder.HasIndex(s => s.WorkspaceId).IsUnique();
        builder.Ignore(s => s.DomainEvents);
    }
}
