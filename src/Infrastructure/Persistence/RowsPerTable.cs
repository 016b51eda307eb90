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
/// The rows a save adds or updates, written on PostgreSQL with one statement per table (ADR 0019): added rows by
/// <c>INSERT ... SELECT FROM unnest(...)</c>, updated rows by <c>UPDATE ... FROM unnest(...)</c> per set of changed
/// columns, one array per column, all tables in one batch. EF Core writes a statement per row, with a parameter per
/// value and the batch's SQL text built anew each time; on the inbound path, where a unit of work writes some two
/// hundred rows, that update pipeline was most of what the server allocated.
/// The values are the ones EF would write (its value converters: enums, JSON columns, sealed texts). A table joins
/// only where writing it first cannot change the outcome: nothing is deleted in the save, a table's rows are either
/// all added or all updated (a unique key may move from an updated row to an added one), and the rows a table
/// references that are added too are written before it. What is left EF writes as before, in the same transaction.
/// </summary>
internal sealed class RowsPerTable
{
    private static readonly ConcurrentDictionary<IEntityType, Table?> Tables = new();

    private readonly List<(Table Table, List<EntityEntry> Rows)> _inserts;
    private readonly List<(Table Table, ulong Columns, List<EntityEntry> Rows)> _updates;
    private readonly List<(EntityEntry Entry, PropertyValues Original, ulong Columns)> _accepted = [];

    private RowsPerTable(List<(Table, List<EntityEntry>)> inserts, List<(Table, ulong, List<EntityEntry>)> updates, bool wholeSave)
    {
        _inserts = inserts;
        _updates = updates;
        IsWholeSave = wholeSave;
    }

    /// <summary>The rows written here.</summary>
    public int Count => _inserts.Sum(t => t.Rows.Count) + _updates.Sum(t => t.Rows.Count);

    /// <summary>Whether these rows are all the save writes: nothing is left for EF.</summary>
    public bool IsWholeSave { get; }

    /// <summary>The rows that can be written ahead of EF's statements, added tables in the order their keys need; null when none.</summary>
    public static RowsPerTable? Of(ChangeTracker tracker)
    {
        var added = new Dictionary<IEntityType, List<EntityEntry>>();
        var modified = new Dictionary<IEntityType, List<EntityEntry>>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State == EntityState.Deleted)
                return null;
            var rows = entry.State switch
            {
                EntityState.Added => added,
                EntityState.Modified => modified,
                _ => null,
            };
            if (rows is null)
                continue;
            if (!rows.TryGetValue(entry.Metadata, out var list))
                rows[entry.Metadata] = list = [];
            list.Add(entry);
        }
        var inserting = added.Keys.Where(t => !modified.ContainsKey(t) && TableOf(t) is not null).ToHashSet();
        var updating = modified.Keys.Where(t => !added.ContainsKey(t) && TableOf(t) is { CanUpdate: true }).ToHashSet();
        // A table whose rows reference rows that EF adds later would fail its foreign key: it waits for EF too.
        bool WaitsForEf(IEntityType type) =>
            type.GetForeignKeys().Any(k => added.ContainsKey(k.PrincipalEntityType) && !inserting.Contains(k.PrincipalEntityType));
        while (inserting.RemoveWhere(WaitsForEf) > 0)
        {
        }
        updating.RemoveWhere(WaitsForEf);
        if (inserting.Count == 0 && updating.Count == 0)
            return null;

        var inserts = new List<(Table, List<EntityEntry>)>();
        var pending = inserting.ToHashSet();
        while (pending.Count > 0)
        {
            var next = pending.First(t => t.GetForeignKeys().All(k => k.PrincipalEntityType == t || !pending.Contains(k.PrincipalEntityType)));
            pending.Remove(next);
            inserts.Add((TableOf(next)!, added[next]));
        }
        var updates = new List<(Table, ulong, List<EntityEntry>)>();
        foreach (var type in updating)
        {
            var table = TableOf(type)!;
            updates.AddRange(modified[type].GroupBy(table.ChangedColumns).Select(g => (table, g.Key, g.ToList())));
        }
        var wholeSave = added.Keys.All(inserting.Contains) && modified.Keys.All(updating.Contains);
        return new RowsPerTable(inserts, updates, wholeSave);
    }

    /// <summary>Writes the rows in one batch in the given transaction, then lets EF track them as stored.</summary>
    public async Task<int> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (table, rows) in _inserts)
            batch.BatchCommands.Add(table.Insert(rows));
        foreach (var (table, columns, rows) in _updates)
            batch.BatchCommands.Add(table.Update(columns, rows));
        var entries = _inserts.SelectMany(t => t.Rows).Concat(_updates.SelectMany(t => t.Rows));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException failure)
        {
            // As EF reports a failed save, so that its callers tell a lost race from a fault the same way.
            throw new DbUpdateException(failure.MessageText, failure, entries.ToList());
        }
        for (var i = 0; i < _inserts.Count; i++)
        {
            if (batch.BatchCommands[i].RecordsAffected != _inserts[i].Rows.Count)
                throw new DbUpdateException($"Expected to add {_inserts[i].Rows.Count} rows to {_inserts[i].Table.Name}, added {batch.BatchCommands[i].RecordsAffected}.");
        }
        for (var i = 0; i < _updates.Count; i++)
        {
            // As EF: an update that finds its row gone is a concurrent change that won.
            if (batch.BatchCommands[_inserts.Count + i].RecordsAffected != _updates[i].Rows.Count)
                throw new DbUpdateConcurrencyException(
                    $"Expected to update {_updates[i].Rows.Count} rows of {_updates[i].Table.Name}, updated {batch.BatchCommands[_inserts.Count + i].RecordsAffected}.");
        }
        foreach (var (_, rows) in _inserts)
        {
            foreach (var row in rows)
                row.State = EntityState.Unchanged;
        }
        foreach (var (_, columns, rows) in _updates)
        {
            foreach (var row in rows)
            {
                _accepted.Add((row, row.OriginalValues.Clone(), columns));
                row.OriginalValues.SetValues(row.CurrentValues);
                row.State = EntityState.Unchanged;
            }
        }
        return Count;
    }

    /// <summary>After a failed save the rows are to be written again, by whoever retries.</summary>
    public void Restore()
    {
        foreach (var (_, rows) in _inserts)
        {
            foreach (var row in rows.Where(r => r.State == EntityState.Unchanged))
                row.State = EntityState.Added;
        }
        foreach (var (entry, original, columns) in _accepted)
        {
            entry.OriginalValues.SetValues(original);
            foreach (var property in TableOf(entry.Metadata)!.Properties(columns))
                entry.Property(property).IsModified = true;
        }
        _accepted.Clear();
    }

    private static Table? TableOf(IEntityType type) => Tables.GetOrAdd(type, Table.For);

    /// <summary>How one entity type's rows are written; null for a type this writer leaves to EF.</summary>
    private sealed class Table
    {
        private readonly IProperty[] _properties;
        private readonly Column[] _columns;
        private readonly int _key;
        private readonly string _target;
        private readonly string _insert;
        private readonly ConcurrentDictionary<ulong, string> _updates = new();

        private Table(string name, string target, IProperty[] properties, Column[] columns, int key, bool canUpdate)
        {
            Name = name;
            _target = target;
            _properties = properties;
            _columns = columns;
            _key = key;
            CanUpdate = canUpdate;
            _insert = $"INSERT INTO {target} ({string.Join(", ", columns.Select(c => c.Name))}) "
                + $"SELECT {string.Join(", ", columns.Select((c, i) => c.Value($"u.c{i}")))} "
                + $"FROM unnest({string.Join(", ", columns.Select((c, i) => $"${i + 1}::{c.ArrayType}"))}) AS u({Aliases(columns.Length)})";
        }

        public string Name { get; }

        /// <summary>Updated by its key alone: one key column, no concurrency token (EF checks those row by row).</summary>
        public bool CanUpdate { get; }

        public static Table? For(IEntityType type)
        {
            if (type.ClrType.Assembly != typeof(Entity).Assembly || type.BaseType is not null || type.GetDirectlyDerivedTypes().Any()
                || type.IsOwned() || type.FindPrimaryKey() is not { } primaryKey || type.GetTableName() is not { } name || type.GetViewName() is not null
                || type.GetNavigations().Any() || type.GetSkipNavigations().Any() || type.GetComplexProperties().Any()
                || type.Model.GetEntityTypes().Count(t => t.GetTableName() == name && t.GetSchema() == type.GetSchema()) != 1)
                return null;
            var table = StoreObjectIdentifier.Table(name, type.GetSchema());
            var properties = type.GetProperties().ToArray();
            var columns = new Column[properties.Length];
            for (var i = 0; i < properties.Length; i++)
            {
                var property = properties[i];
                if (property.GetDefaultValueSql() is not null || property.GetComputedColumnSql() is not null || property.TryGetDefaultValue(out _)
                    || (property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && property.ClrType != typeof(Guid))
                    || Column.For(property, table) is not { } column)
                    return null;
                columns[i] = column;
            }
            var target = type.GetSchema() is { } schema ? $"\"{schema}\".\"{name}\"" : $"\"{name}\"";
            var canUpdate = primaryKey.Properties.Count == 1 && properties.Length <= 64 && !properties.Any(p => p.IsConcurrencyToken);
            return new Table(name, target, properties, columns, Array.IndexOf(properties, primaryKey.Properties[0]), canUpdate);
        }

        /// <summary>The columns an updated row changes, one bit per property.</summary>
        public ulong ChangedColumns(EntityEntry row)
        {
            var changed = 0UL;
            for (var i = 0; i < _properties.Length; i++)
            {
                if (row.Property(_properties[i]).IsModified)
                    changed |= 1UL << i;
            }
            return changed;
        }

        public IEnumerable<IProperty> Properties(ulong columns) => Indexes(columns).Select(i => _properties[i]);

        private int[] Indexes(ulong columns) => Enumerable.Range(0, _properties.Length).Where(i => (columns & (1UL << i)) != 0).ToArray();

        public NpgsqlBatchCommand Insert(List<EntityEntry> rows)
        {
            var command = new NpgsqlBatchCommand(_insert);
            for (var i = 0; i < _properties.Length; i++)
                command.Parameters.Add(new NpgsqlParameter { Value = Values(i, rows) });
            return command;
        }

        public NpgsqlBatchCommand Update(ulong columns, List<EntityEntry> rows)
        {
            var changed = Indexes(columns);
            var command = new NpgsqlBatchCommand(_updates.GetOrAdd(columns, _ => UpdateSql(changed)));
            command.Parameters.Add(new NpgsqlParameter { Value = Values(_key, rows) });
            foreach (var i in changed)
                command.Parameters.Add(new NpgsqlParameter { Value = Values(i, rows) });
            return command;
        }

        private string UpdateSql(int[] changed) =>
            $"UPDATE {_target} AS t SET {string.Join(", ", changed.Select((c, i) => $"{_columns[c].Name} = {_columns[c].Value($"u.c{i + 1}")}"))} "
            + $"FROM unnest($1::{_columns[_key].ArrayType}, {string.Join(", ", changed.Select((c, i) => $"${i + 2}::{_columns[c].ArrayType}"))}) AS u({Aliases(changed.Length + 1)}) "
            + $"WHERE t.{_columns[_key].Name} = u.c0";

        /// <summary>One column's values of the rows, as the array its parameter sends.</summary>
        private Array Values(int index, List<EntityEntry> rows)
        {
            var column = _columns[index];
            var values = Array.CreateInstance(column.ElementType, rows.Count);
            for (var r = 0; r < rows.Count; r++)
                values.SetValue(column.ToProvider(rows[r].CurrentValues[_properties[index]]), r);
            return values;
        }

        private static string Aliases(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"c{i}"));
    }

    /// <summary>A column as its parameter array carries it: the element type, its cast, and how a row's value becomes one element.</summary>
    private sealed record Column(string Name, string ArrayType, Type ElementType, string? CastBack, ValueConverter? Converter)
    {
        public static Column? For(IProperty property, StoreObjectIdentifier table)
        {
            var name = $"\"{property.GetColumnName(table)}\"";
            var type = property.GetColumnType(table);
            var converter = property.GetRelationalTypeMapping().Converter;
            if (property.IsPrimitiveCollection)
            {
                // An array per row cannot be one element of an array: each goes as its literal, cast back per row.
                return property.GetElementType()?.ClrType == typeof(string) ? new Column(name, "text[]", typeof(string), type, converter) : null;
            }
            var provider = converter?.ProviderClrType ?? property.GetRelationalTypeMapping().ClrType;
            provider = Nullable.GetUnderlyingType(provider) ?? provider;
            if (provider != typeof(string) && provider != typeof(byte[]) && typeof(IEnumerable).IsAssignableFrom(provider))
                return null;
            return new Column(name, type + "[]", provider.IsValueType ? typeof(Nullable<>).MakeGenericType(provider) : provider, null, converter);
        }

        public string Value(string alias) => CastBack is null ? alias : $"{alias}::{CastBack}";

        public object? ToProvider(object? value)
        {
            if (value is not null && Converter is not null)
                value = Converter.ConvertToProvider(value);
            return value is IEnumerable<string?> texts && CastBack is not null ? ArrayLiteral(texts) : value;
        }

        /// <summary>PostgreSQL's text form of an array of texts: every element quoted, quotes and backslashes escaped.</summary>
        private static string ArrayLiteral(IEnumerable<string?> elements) =>
            "{" + string.Join(",", elements.Select(e => e is null ? "NULL" : "\"" + e.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "}";
    }
}
