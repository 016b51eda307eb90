using System.Collections;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using OneInbox.Domain.Common;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// The rows a save adds, written on PostgreSQL with one statement per table: <c>INSERT ... SELECT FROM unnest(...)</c>
/// with one array per column, all tables in one batch (ADR 0019). EF Core writes a statement per row, with a parameter
/// per value and the batch's SQL text built anew each time; on the inbound path, where a unit of work adds some two
/// hundred rows, that update pipeline was most of what the server allocated.
/// The values are the ones EF would write (its value converters: enums, JSON columns, sealed texts). A table joins
/// only where writing its rows first cannot change the outcome: none of its rows is updated in the same save (a unique
/// key may move from an updated row to an added one), nothing is deleted in it, and the rows it references that are
/// added too are written before it. What is left EF writes as before, in the same transaction.
/// </summary>
internal sealed class AddedRows
{
    private static readonly ConcurrentDictionary<IEntityType, Table?> Tables = new();

    private readonly List<(Table Table, List<EntityEntry> Rows)> _tables;

    private AddedRows(List<(Table, List<EntityEntry>)> tables, bool wholeSave)
    {
        _tables = tables;
        IsWholeSave = wholeSave;
    }

    public int Count => _tables.Sum(t => t.Rows.Count);

    /// <summary>Whether these rows are all the save writes: nothing is left for EF.</summary>
    public bool IsWholeSave { get; }

    /// <summary>The added rows that can be written ahead of EF's statements, tables in the order their keys need; null when none.</summary>
    public static AddedRows? Of(ChangeTracker tracker)
    {
        var added = new Dictionary<IEntityType, List<EntityEntry>>();
        var changed = new HashSet<IEntityType>();
        var addedCount = 0;
        foreach (var entry in tracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Deleted:
                    return null;
                case EntityState.Added:
                    if (!added.TryGetValue(entry.Metadata, out var rows))
                        added[entry.Metadata] = rows = [];
                    rows.Add(entry);
                    addedCount++;
                    break;
                case EntityState.Modified:
                    changed.Add(entry.Metadata);
                    break;
            }
        }
        var joining = added.Keys.Where(t => !changed.Contains(t) && TableOf(t) is not null).ToHashSet();
        // A table whose rows reference rows that EF will add later would fail its foreign key.
        while (joining.RemoveWhere(t => t.GetForeignKeys().Any(k => added.ContainsKey(k.PrincipalEntityType) && !joining.Contains(k.PrincipalEntityType))) > 0)
        {
        }
        if (joining.Count == 0)
            return null;
        var ordered = new List<(Table, List<EntityEntry>)>();
        var writing = 0;
        while (joining.Count > 0)
        {
            var next = joining.First(t => t.GetForeignKeys().All(k => k.PrincipalEntityType == t || !joining.Contains(k.PrincipalEntityType)));
            joining.Remove(next);
            ordered.Add((TableOf(next)!, added[next]));
            writing += added[next].Count;
        }
        return new AddedRows(ordered, wholeSave: changed.Count == 0 && writing == addedCount);
    }

    /// <summary>Writes the rows in one batch in the given transaction, then lets EF track them as stored.</summary>
    public async Task<int> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (table, rows) in _tables)
            batch.BatchCommands.Add(table.Command(rows));
        int written;
        try
        {
            written = await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException failure)
        {
            // As EF reports a failed save, so that its callers tell a lost race from a fault the same way.
            throw new DbUpdateException(failure.MessageText, failure, _tables.SelectMany(t => t.Rows).ToList());
        }
        if (written != Count)
            throw new DbUpdateException($"Expected to add {Count} rows, added {written}.");
        foreach (var (_, rows) in _tables)
        {
            foreach (var row in rows)
                row.State = EntityState.Unchanged;
        }
        return written;
    }

    /// <summary>After a failed save the rows are to be added again, by whoever retries.</summary>
    public void Restore()
    {
        foreach (var (_, rows) in _tables)
        {
            foreach (var row in rows.Where(r => r.State == EntityState.Unchanged))
                row.State = EntityState.Added;
        }
    }

    private static Table? TableOf(IEntityType type) => Tables.GetOrAdd(type, Table.For);

    /// <summary>How one entity type's rows are written; null for a type this writer leaves to EF.</summary>
    private sealed class Table(string sql, IProperty[] properties, Type[] elementTypes, ValueConverter?[] converters)
    {
        public static Table? For(IEntityType type)
        {
            if (type.ClrType.Assembly != typeof(Entity).Assembly || type.BaseType is not null || type.GetDirectlyDerivedTypes().Any()
                || type.IsOwned() || type.FindPrimaryKey() is null || type.GetTableName() is not { } name || type.GetViewName() is not null
                || type.GetNavigations().Any() || type.GetSkipNavigations().Any() || type.GetComplexProperties().Any()
                || type.Model.GetEntityTypes().Count(t => t.GetTableName() == name && t.GetSchema() == type.GetSchema()) != 1)
                return null;
            var table = StoreObjectIdentifier.Table(name, type.GetSchema());
            var properties = type.GetProperties().ToArray();
            var columns = new List<string>();
            var arrays = new List<string>();
            var values = new List<string>();
            var elementTypes = new Type[properties.Length];
            var converters = new ValueConverter?[properties.Length];
            for (var i = 0; i < properties.Length; i++)
            {
                var property = properties[i];
                var column = property.GetColumnType(table);
                if (property.GetDefaultValueSql() is not null || property.GetComputedColumnSql() is not null || property.TryGetDefaultValue(out _)
                    || (property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && property.ClrType != typeof(Guid)))
                    return null;
                columns.Add($"\"{property.GetColumnName(table)}\"");
                if (property.IsPrimitiveCollection)
                {
                    // An array per row cannot be one element of an array: each goes as its literal, cast back per row.
                    if (property.GetElementType()?.ClrType != typeof(string))
                        return null;
                    converters[i] = property.GetRelationalTypeMapping().Converter;
                    elementTypes[i] = typeof(string);
                    arrays.Add($"${i + 1}::text[]");
                    values.Add($"u.c{i}::{column}");
                    continue;
                }
                var mapping = property.GetRelationalTypeMapping();
                converters[i] = mapping.Converter;
                var provider = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
                provider = Nullable.GetUnderlyingType(provider) ?? provider;
                if (provider != typeof(string) && provider != typeof(byte[]) && typeof(IEnumerable).IsAssignableFrom(provider))
                    return null;
                elementTypes[i] = provider.IsValueType ? typeof(Nullable<>).MakeGenericType(provider) : provider;
                arrays.Add($"${i + 1}::{column}[]");
                values.Add($"u.c{i}");
            }
            var target = type.GetSchema() is { } schema ? $"\"{schema}\".\"{name}\"" : $"\"{name}\"";
            var aliases = string.Join(", ", Enumerable.Range(0, properties.Length).Select(i => $"c{i}"));
            return new Table($"INSERT INTO {target} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM unnest({string.Join(", ", arrays)}) AS u({aliases})",
                properties, elementTypes, converters);
        }

        public NpgsqlBatchCommand Command(List<EntityEntry> rows)
        {
            var command = new NpgsqlBatchCommand(sql);
            var columns = new Array[properties.Length];
            for (var i = 0; i < properties.Length; i++)
                columns[i] = Array.CreateInstance(elementTypes[i], rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                var values = rows[r].CurrentValues;
                for (var i = 0; i < properties.Length; i++)
                {
                    var value = values[properties[i]];
                    if (value is not null && converters[i] is { } converter)
                        value = converter.ConvertToProvider(value);
                    columns[i].SetValue(value is IEnumerable<string?> list ? ArrayLiteral(list) : value, r);
                }
            }
            foreach (var column in columns)
                command.Parameters.Add(new NpgsqlParameter { Value = column });
            return command;
        }

        /// <summary>PostgreSQL's text form of an array of texts: every element quoted, quotes and backslashes escaped.</summary>
        internal static string ArrayLiteral(IEnumerable<string?> elements) =>
            "{" + string.Join(",", elements.Select(e => e is null ? "NULL" : "\"" + e.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "}";
    }
}
