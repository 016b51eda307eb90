using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// The rows a context tracks, kept by their type from EF's <c>Tracked</c> and <c>StateChanged</c> events. Finding the
/// tracked rows of a type (those with domain events before every save, a unit of work's conversations, identities and
/// flow instances) is then a look at a few sets. Asking EF instead is a pass over all its entries with a type test and
/// an entry object per row; a batched unit of work asks once or more per message, so that pass grew with the square of
/// the unit's size (6 % of the server's processor time with 64 deliveries in flight, ADR 0022).
/// </summary>
internal sealed class TrackedRows
{
    private readonly Dictionary<Type, HashSet<object>> _byType = [];

    public TrackedRows(ChangeTracker tracker)
    {
        tracker.Tracked += (_, e) => Add(e.Entry.Entity);
        tracker.StateChanged += (_, e) =>
        {
            if (e.NewState == EntityState.Detached)
                Remove(e.Entry.Entity);
        };
    }

    /// <summary>The tracked rows of type <typeparamref name="T"/> (that <paramref name="match"/>, when given).</summary>
    public List<T> Of<T>(Func<T, bool>? match = null) where T : class
    {
        var found = new List<T>();
        foreach (var (type, rows) in _byType)
        {
            if (!typeof(T).IsAssignableFrom(type))
                continue;
            foreach (var row in rows)
            {
                // The set's type was checked above, once for all its rows.
                var typed = Unsafe.As<T>(row);
                if (match is null || match(typed))
                    found.Add(typed);
            }
        }
        return found;
    }

    /// <summary>After <c>ChangeTracker.Clear()</c>, which raises no event.</summary>
    public void Clear() => _byType.Clear();

    private void Add(object row)
    {
        if (!_byType.TryGetValue(row.GetType(), out var rows))
            _byType[row.GetType()] = rows = new HashSet<object>(ReferenceEqualityComparer.Instance);
        rows.Add(row);
    }

    private void Remove(object row)
    {
        if (_byType.TryGetValue(row.GetType(), out var rows))
            rows.Remove(row);
    }
}
