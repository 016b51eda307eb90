using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Reports;

namespace OneInbox.Infrastructure.Persistence.Configurations;

// No foreign keys: report rows are counts that outlive the conversations, contacts and connections they counted.

internal sealed class ReportDeltaConfiguration : IEntityTypeConfiguration<ReportDelta>
{
    public void Configure(EntityTypeBuilder<ReportDelta> builder)
    {
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasIndex(d => new { d.WorkspaceId, d.HourStart });
        builder.Property(d => d.Label).HasMaxLength(ReportCounts.MaxLabelLength);
        builder.Ignore(d => d.Key);
        builder.Ignore(d => d.DomainEvents);
    }
}

internal sealed class ReportHourConfiguration : IEntityTypeConfiguration<ReportHour>
{
    public void Configure(EntityTypeBuilder<ReportHour> builder)
    {
        builder.Property(h => h.Id).ValueGeneratedNever();
        // One row per key: the compactor adds to it.
        builder.Property(h => h.Label).HasMaxLength(ReportCounts.MaxLabelLength);
        builder.HasIndex(h => new { h.WorkspaceId, h.Grain, h.HourStart, h.ConnectionId, h.TeamId, h.AgentId, h.Label }).IsUnique()
            .IncludeProperties(h => new { h.Channel, h.Opened, h.Resolved, h.Reopened, h.MessagesIn, h.MessagesOut, h.Rated, h.RatingTotal, h.Satisfied });
        builder.Ignore(h => h.Key);
        builder.Ignore(h => h.DomainEvents);
    }
}

internal sealed class ReportDurationConfiguration : IEntityTypeConfiguration<ReportDuration>
{
    public void Configure(EntityTypeBuilder<ReportDuration> builder)
    {
        builder.Property(d => d.Id).ValueGeneratedNever();
        // Reports read a range of every kind: by time, with what they read beside it (PostgreSQL answers from the index).
        builder.HasIndex(d => new { d.WorkspaceId, d.At }).IncludeProperties(d => new { d.Kind, d.Seconds, d.AgentId, d.TeamId, d.Channel, d.ConnectionId });
        builder.Property(d => d.Labels).HasMaxLength(2200);
        builder.Ignore(d => d.DomainEvents);
    }
}

internal sealed class FlowReportDeltaConfiguration : IEntityTypeConfiguration<FlowReportDelta>
{
    public void Configure(EntityTypeBuilder<FlowReportDelta> builder)
    {
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasIndex(d => new { d.WorkspaceId, d.FlowId, d.HourStart });
        builder.Ignore(d => d.DomainEvents);
    }
}

internal sealed class FlowReportHourConfiguration : IEntityTypeConfiguration<FlowReportHour>
{
    public void Configure(EntityTypeBuilder<FlowReportHour> builder)
    {
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.NodeId).HasMaxLength(200);
        builder.Property(h => h.Outcome).HasMaxLength(200);
        builder.HasIndex(h => new { h.WorkspaceId, h.HourStart, h.FlowId, h.Version, h.Kind, h.NodeId, h.Outcome }).IsUnique();
        builder.HasIndex(h => new { h.WorkspaceId, h.FlowId, h.HourStart });
        builder.Ignore(h => h.Key);
        builder.Ignore(h => h.DomainEvents);
    }
}

internal sealed class ReportEpochConfiguration : IEntityTypeConfiguration<ReportEpoch>
{
    public void Configure(EntityTypeBuilder<ReportEpoch> builder) => builder.Property(e => e.Id).ValueGeneratedNever();
}

internal sealed class ReportBackfillConfiguration : IEntityTypeConfiguration<ReportBackfill>
{
    public void Configure(EntityTypeBuilder<ReportBackfill> builder)
    {
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.HasIndex(b => b.WorkspaceId).IsUnique();
        builder.Ignore(b => b.DomainEvents);
    }
}
