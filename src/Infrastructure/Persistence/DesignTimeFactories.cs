using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>Lets `dotnet ef migrations add` build each provider's model without starting the host.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOneInboxDbContext>
{
    public PostgresOneInboxDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresOneInboxDbContext>()
                .UseNpgsql("Host=localhost;Database=oneinbox_design", o => o.MigrationsHistoryTable("__ef_migrations_history"))
                .Options);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOneInboxDbContext>
{
    public SqliteOneInboxDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteOneInboxDbContext>().UseSqlite("Data Source=design.db").Options);
}
