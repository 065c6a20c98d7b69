using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Apply;

/// <summary>Checks one table's changes and keeps the last change of each key (MERGE refuses a key twice).</summary>
internal static class SqlServerApplyBatch
{
    /// <summary>The upserts and deletes to stage, and the keys of <see cref="ChangeKind.Remove"/> changes (local removals).</summary>
    public static (List<RowChange> Applied, List<Guid> Removed) LastPerKey(TableDescription table, IReadOnlyList<RowChange> changes)
    {
        var last = new Dictionary<Guid, RowChange>(changes.Count);
        var order = new List<Guid>(changes.Count);
        foreach (var change in changes)
        {
            if (!string.Equals(change.Table.Name, table.Name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A change of table {change.Table} is in a batch of table {table}.", nameof(changes));
            }

            if (change.Kind == ChangeKind.Upsert)
            {
                if (change.Values is null)
                {
                    throw new ArgumentException($"An upsert of table {table} carries no values.", nameof(changes));
                }

                if (change.Values.Length != table.Columns.Count || change.Values[table.KeyOrdinal] is not Guid key || key != change.Key)
                {
                    throw new ArgumentException($"An upsert of table {table} carries values whose key is not the change's key.", nameof(changes));
                }
            }

            if (last.TryAdd(change.Key, change))
            {
                order.Add(change.Key);
            }
            else
            {
                last[change.Key] = change;
            }
        }

        var applied = new List<RowChange>(order.Count);
        var removed = new List<Guid>();
        foreach (var key in order)
        {
            var change = last[key];
            if (change.Kind == ChangeKind.Remove)
            {
                removed.Add(key);
            }
            else
            {
                applied.Add(change);
            }
        }

        return (applied, removed);
    }
}
