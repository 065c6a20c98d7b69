using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>
/// Reads, untimed and into memory, the rows a raw yardstick writes: the rows a child of a scope ends up with (the
/// scope root's ancestors as context, then the subtree; organisations level by level, parents first; every table in
/// primary-key order), or given rows, from a provisioned database's own snapshot.
/// </summary>
internal static class ScopeRows
{
    public static async Task<List<(TableDescription Table, List<object?[]> Rows)>> ReadScopeAsync(ISyncProvider database, Guid scope, CancellationToken cancellationToken)
    {
        await using var snapshot = await database.Changes.OpenSnapshotAsync(cancellationToken);
        var organizations = SyncTables.Organizations;
        var parentOrdinal = organizations.IndexOf("parent_id");
        var levelOrdinal = organizations.IndexOf("level");

        var ancestors = new List<object?[]>();
        var next = (await ReadAsync(snapshot, organizations, RowSelection.ByKeys([scope]), cancellationToken)).Single()[parentOrdinal] as Guid?;
        while (next is { } key)
        {
            var row = (await ReadAsync(snapshot, organizations, RowSelection.ByKeys([key]), cancellationToken)).Single();
            ancestors.Insert(0, row);
            next = row[parentOrdinal] as Guid?;
        }

        var tables = new List<(TableDescription, List<object?[]>)>();
        foreach (var table in SyncTables.All)
        {
            var rows = await ReadAsync(snapshot, table, RowSelection.Subtree(scope), cancellationToken);
            if (ReferenceEquals(table, organizations))
            {
                // A stable sort keeps primary-key order within a level.
                rows = [.. ancestors, .. rows.OrderBy(r => Convert.ToInt32(r[levelOrdinal], System.Globalization.CultureInfo.InvariantCulture))];
            }

            tables.Add((table, rows));
        }

        return tables;
    }

    public static async Task<List<object?[]>> ReadByKeysAsync(ISyncProvider database, TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        await using var snapshot = await database.Changes.OpenSnapshotAsync(cancellationToken);
        return await ReadAsync(snapshot, table, RowSelection.ByKeys(keys), cancellationToken);
    }

    private static async Task<List<object?[]>> ReadAsync(IChangeSnapshot snapshot, TableDescription table, RowSelection selection, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await foreach (var change in snapshot.ReadRowsAsync(table, selection, cancellationToken))
        {
            if (change.Kind == ChangeKind.Upsert && change.Values is { } values)
            {
                rows.Add(values);
            }
        }

        return rows;
    }
}
