using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Identity;
using OneInbox.Infrastructure.Identity;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class WorkspaceMemberConfiguration : IEntityTypeConfiguration<WorkspaceMember>
{
    public void Configure(EntityTypeBuilder<WorkspaceMember> builder)
    {
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.DisplayName).HasMaxLength(WorkspaceMember.MaxDisplayNameLength);
        builder.Property(m => m.Email).HasMaxLength(256);
        builder.HasIndex(m => new { m.WorkspaceId, m.UserId }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.Ignore(m => m.DomainEvents);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Ignore(i => i.DomainEvents);
    }
}

internal sealed class IntegrationClientConfiguration : IEntityTypeConfiguration<IntegrationClient>
{
    public void Configure(EntityTypeBuilder<IntegrationClient> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.Name).HasMaxLength(IntegrationClient.MaxNameLength);
        builder.HasIndex(c => c.ClientId).IsUnique();
        builder.Ignore(c => c.IsActive);
        builder.Ignore(c => c.DomainEvents);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.Target).HasMaxLength(200);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.Details).HasMaxLength(1000);
        builder.Property(e => e.UserAgent).HasMaxLength(300);
        builder.Property(e => e.Client).HasMaxLength(100);
        builder.HasIndex(e => new { e.WorkspaceId, e.Id });
        // "Who accessed this person's data": a contact's page and the auditor's filter.
        builder.HasIndex(e => new { e.WorkspaceId, e.SubjectContactId, e.Id }).HasFilter("\"SubjectContactId\" IS NOT NULL");
        builder.Ignore(e => e.DomainEvents);
    }
}

internal sealed class OneInboxUserConfiguration : IEntityTypeConfiguration<OneInboxUser>
{
    public void Configure(EntityTypeBuilder<OneInboxUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(120);
    }
}
