using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneInbox.Domain.Reviews;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence.Configurations;

internal sealed class ReviewCaseConfiguration : IEntityTypeConfiguration<ReviewCase>
{
    public void Configure(EntityTypeBuilder<ReviewCase> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        // The customer's words, the explanation (rendered with their data), the reason and what they were told are
        // their conversation: sealed like the messages.
        builder.Property(r => r.CustomerWords).IsEncrypted();
        builder.Property<string>(nameof(ReviewCase.ContestedExplanation)).IsEncrypted();
        builder.Property<string>(nameof(ReviewCase.Reason)).IsEncrypted();
        builder.Property<string>(nameof(ReviewCase.CustomerMessage)).IsEncrypted();
        builder.Property(r => r.ContestedNodeId).HasMaxLength(200);
        builder.Property(r => r.Actions)
            .HasConversion(JsonColumn.Converter<IReadOnlyList<ReviewAction>>(), JsonColumn.Comparer<IReadOnlyList<ReviewAction>>());
        builder.Property(r => r.Trail)
            .HasConversion(JsonColumn.Converter<IReadOnlyList<ReviewEvent>>(), JsonColumn.Comparer<IReadOnlyList<ReviewEvent>>());
        // The queue reads open cases by due date; statistics read them by flow.
        builder.HasIndex(r => new { r.WorkspaceId, r.Status, r.DueAt });
        builder.HasIndex(r => new { r.WorkspaceId, r.FlowId });
        builder.HasIndex(r => new { r.WorkspaceId, r.ConversationId });
        builder.Ignore(r => r.IsOpen);
        builder.Ignore(r => r.DomainEvents);
    }
}

internal sealed class ReviewSettingsConfiguration : IEntityTypeConfiguration<ReviewSettings>
{
    public void Configure(EntityTypeBuilder<ReviewSettings> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.PrimitiveCollection(s => s.Phrases);
        builder.Property(s => s.OpenedMessage).HasMaxLength(ReviewSettings.MaxMessageLength);
        builder.Property(s => s.UpheldMessage).HasMaxLength(ReviewSettings.MaxMessageLength);
        builder.Property(s => s.OverturnedMessage).HasMaxLength(ReviewSettings.MaxMessageLength);
        builder.HasIndex(s => s.WorkspaceId).IsUnique();
        builder.Ignore(s => s.DomainEvents);
    }
}
