using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>The model on PostgreSQL: production and the test suite. Migrations in Migrations/Postgres.</summary>
public sealed class PostgresOneInboxDbContext(DbContextOptions<PostgresOneInboxDbContext> options) : OneInboxDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Name search is a prefix range and name order on one index; byte order makes both use it.
        modelBuilder.Entity<Domain.Contacts.Contact>().Property(c => c.NameKey).UseCollation("C");
    }
}

/// <summary>The model on SQLite: the embedded default. Migrations in Migrations/Sqlite.</summary>
public sealed class SqliteOneInboxDbContext(DbContextOptions<SqliteOneInboxDbContext> options) : OneInboxDbContext(options)
{
    /// <summary>SQLite cannot order or compare DateTimeOffset text; stored as a sortable number instead.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
