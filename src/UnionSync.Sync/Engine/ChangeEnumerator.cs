using System.Runtime.CompilerServices;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Streams a snapshot's changes in the order that keeps foreign keys: organisation upserts by level (one pass per
/// level, so parents come first), members, cards; then tombstones in reverse table order. Nothing is buffered: each
/// pass is a stream of the provider's cursor.
/// </summary>
internal static class ChangeEnumerator
{
    public static async IAsyncEnumerable<RowChange> ChangesAsync(
        IChangeSnapshot snapshot, SyncSchema schema, long since, Guid? scope, Guid? excludedPeer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var table in schema.All)
        {
            var query = new ChangeQuery(table, since, scope, excludedPeer);
            await foreach (var change in UpsertsAsync(table, () => snapshot.ReadChangesAsync(query, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }

        for (var t = schema.All.Count - 1; t >= 0; t--)
        {
            var query = new ChangeQuery(schema.All[t], since, scope, excludedPeer);
            await foreach (var change in snapshot.ReadChangesAsync(query, cancellationToken).ConfigureAwait(false))
            {
                if (change.Kind != ChangeKind.Upsert)
                {
                    yield return change;
                }
            }
        }
    }

    /// <summary>Current rows of a selection, parents first (organisations one level at a time).</summary>
    public static IAsyncEnumerable<RowChange> RowsAsync(IChangeSnapshot snapshot, TableDescription table, RowSelection selection, CancellationToken cancellationToken) =>
        UpsertsAsync(table, () => snapshot.ReadRowsAsync(table, selection, cancellationToken), cancellationToken);

    /// <summary>The upserts of <paramref name="source"/>; for organisations one pass per level, parents first.</summary>
    public static async IAsyncEnumerable<RowChange> UpsertsAsync(
        TableDescription table, Func<IAsyncEnumerable<RowChange>> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Rows.IsOrganizations(table))
        {
            await foreach (var change in source().WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (change.Kind == ChangeKind.Upsert)
                {
                    yield return change;
                }
            }

            yield break;
        }

        for (var level = Rows.MinLevel; level <= Rows.MaxLevel; level++)
        {
            await foreach (var change in source().WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (change.Kind == ChangeKind.Upsert && Rows.Level(change) == level)
                {
                    yield return change;
                }
            }
        }
    }
}
