using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Flows;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class FlowDefinitionConfiguration : IEntityTypeConfiguration<FlowDefinition>
{
    public void Configure(EntityTypeBuilder<FlowDefinition> builder)
    {
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Name).HasMaxLength(FlowDefinition.MaxNameLength);
        builder.Property(f => f.Description).HasMaxLength(FlowDefinition.MaxDescriptionLength);
        // Optimistic concurrency: two admins publishing at once cannot both take the same version number.
        builder.Property(f => f.LatestVersion).IsConcurrencyToken();
        builder.Ignore(f => f.DomainEvents);
    }
}

internal sealed class FlowVersionConfiguration : IEntityTypeConfiguration<FlowVersion>
{
    public void Configure(EntityTypeBuilder<FlowVersion> builder)
    {
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasIndex(v => new { v.FlowId, v.Version }).IsUnique();
        builder.Ignore(v => v.DomainEvents);
    }
}

internal sealed class FlowTriggerConfiguration : IEntityTypeConfiguration<FlowTrigger>
{
    public void Configure(EntityTypeBuilder<FlowTrigger> builder)
    {
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Type).HasMaxLength(40);
        builder.HasIndex(t => new { t.WorkspaceId, t.Type, t.Priority });
        builder.HasIndex(t => t.FlowId).IsUnique();
        builder.Property(t => t.NextDueAt).IsConcurrencyToken();
        builder.Ignore(t => t.DomainEvents);
    }
}

internal sealed class FlowInstanceConfiguration : IEntityTypeConfiguration<FlowInstance>
{
    public void Configure(EntityTypeBuilder<FlowInstance> builder)
    {
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.CurrentNodeId).HasMaxLength(200);
        // The flow's variables hold what the customer answered: personal data, sealed under the contact's key.
        builder.Property(i => i.State).IsEncrypted();
        // Two writers resuming the same instance (duplicate deliveries on two nodes): the second write fails
        // instead of overwriting, and its whole unit of work (journal, messages) rolls back.
        builder.Property(i => i.UpdatedAt).IsConcurrencyToken();
        builder.HasIndex(i => new { i.WorkspaceId, i.FlowId, i.Status });
        builder.HasIndex(i => new { i.WorkspaceId, i.ConversationId });
        // Exactly one flow in progress per conversation, whatever races the dispatchers run into.
        builder.HasIndex(i => i.ConversationId)
            .IsUnique()
            .HasDatabaseName("IX_FlowInstances_one_active_per_conversation")
            .HasFilter("\"ConversationId\" IS NOT NULL AND \"Status\" IN ('Running', 'Waiting')");
        builder.Ignore(i => i.IsActive);
        builder.Ignore(i => i.DomainEvents);
    }
}

internal sealed class FlowJournalEntryConfiguration : IEntityTypeConfiguration<FlowJournalEntry>
{
    public void Configure(EntityTypeBuilder<FlowJournalEntry> builder)
    {
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.Property(j => j.NodeId).HasMaxLength(200);
        builder.Property(j => j.ActivityType).HasMaxLength(100);
        builder.Property(j => j.Outcome).HasMaxLength(200);
        // A step's inputs quote the conversation (questions asked, answers given): sealed like the messages.
        builder.Property(j => j.Inputs).IsEncrypted();
        builder.Property<string>(nameof(FlowJournalEntry.Explanation)).IsEncrypted();
        builder.Property<string>(nameof(FlowJournalEntry.Variables)).IsEncrypted();
        builder.Ignore(j => j.IsSignificant);
        builder.PrimitiveCollection(j => j.MessagesSent);
        builder.HasIndex(j => new { j.InstanceId, j.Sequence }).IsUnique();
        builder.Ignore(j => j.DomainEvents);
    }
}

internal sealed class FlowIncidentConfiguration : IEntityTypeConfiguration<FlowIncident>
{
    public void Configure(EntityTypeBuilder<FlowIncident> builder)
    {
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.NodeId).HasMaxLength(200);
        builder.HasIndex(i => i.InstanceId);
        builder.Ignore(i => i.DomainEvents);
    }
}

internal sealed class FlowTimerConfiguration : IEntityTypeConfiguration<FlowTimer>
{
    public void Configure(EntityTypeBuilder<FlowTimer> builder)
    {
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        // Claiming and firing are conditional writes: of several pollers, one wins and the others skip.
        builder.Property(t => t.ClaimedUntil).IsConcurrencyToken();
        builder.Property(t => t.FiredAt).IsConcurrencyToken();
        // The poller's query: unfired timers by due time, across workspaces.
        builder.HasIndex(t => new { t.FiredAt, t.DueAt });
        builder.HasIndex(t => t.InstanceId);
        builder.Ignore(t => t.DomainEvents);
    }
}
