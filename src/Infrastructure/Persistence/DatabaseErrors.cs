using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>What the two databases' error codes mean to the product, read in one place.</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// A concurrent change to the same rows won (a unique key or a concurrency token): nothing of this change was
    /// stored, and trying again sees the other change.
    /// </summary>
    public static bool IsLostRace(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException
        || exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || exception.InnerException is SqliteException { SqliteExtendedErrorCode: SqliteUniqueViolation or SqlitePrimaryKeyViolation };

    private const int SqliteUniqueViolation = 2067; // SQLITE_CONSTRAINT_UNIQUE
    private const int SqlitePrimaryKeyViolation = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY
}
