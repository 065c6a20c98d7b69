using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Compares a child with its scope of the parent: per table both sides' rows of the scope subtree, streamed in key
/// order and merge-joined, so memory stays flat whatever the size. Lists what is missing, extra or different (column
/// names only, never values; members named by masked ID number).
/// </summary>
internal static class Verifier
{
    public static async Task<VerifyResult> VerifyAsync(ISyncProvider parent, ISyncProvider child, CancellationToken cancellationToken)
    {
        if (!await child.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false)
            || await child.Metadata.GetParentAsync(cancellationToken).ConfigureAwait(false) is not { } record)
        {
            throw new SyncConfigurationException($"The child database ({child.Describe()}) has never synced with a parent; there is no scope to compare.");
        }

        var parentNode = await parent.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false)
            ? await parent.Tracking.GetNodeIdAsync(cancellationToken).ConfigureAwait(false)
            : Guid.Empty;
        if (parentNode != record.PeerId)
        {
            throw new SyncConfigurationException($"The child syncs with parent node {record.PeerId:D}, but the parent database given is node {parentNode:D}.");
        }

        var schema = (await parent.Changes.DescribeAsync(cancellationToken).ConfigureAwait(false))
            .Intersect(await child.Changes.DescribeAsync(cancellationToken).ConfigureAwait(false));
        await using var parentSnapshot = await parent.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        await using var childSnapshot = await child.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        return await CompareAsync(parentSnapshot, childSnapshot, schema, record.ScopeOrganization, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The comparison itself, on two open snapshots, of the columns both have (<paramref name="schema"/>).</summary>
    public static async Task<VerifyResult> CompareAsync(
        IChangeSnapshot parentSnapshot, IChangeSnapshot childSnapshot, SyncSchema schema, Guid scope, CancellationToken cancellationToken)
    {
        var differences = new List<VerifyDifference>();
        long count = 0, compared = 0;
        foreach (var table in schema.All)
        {
            var selection = RowSelection.Subtree(scope);
            await using var expected = parentSnapshot.ReadRowsAsync(table, selection, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using var actual = childSnapshot.ReadRowsAsync(table, selection, cancellationToken).GetAsyncEnumerator(cancellationToken);
            var e = await NextAsync(expected).ConfigureAwait(false);
            var a = await NextAsync(actual).ConfigureAwait(false);
            while (e is not null || a is not null)
            {
                var order = e is null ? 1 : a is null ? -1 : KeyOrder.Instance.Compare(e.Key, a.Key);
                VerifyDifference? difference;
                if (order < 0)
                {
                    difference = new VerifyDifference(table.Name, e!.Key, VerifyDifferenceKind.MissingAtChild, [], Rows.MemberLabel(table, e.Values));
                    e = await NextAsync(expected).ConfigureAwait(false);
                }
                else if (order > 0)
                {
                    difference = new VerifyDifference(table.Name, a!.Key, VerifyDifferenceKind.ExtraAtChild, [], Rows.MemberLabel(table, a.Values));
                    a = await NextAsync(actual).ConfigureAwait(false);
                }
                else
                {
                    var columns = DifferentColumns(table, e!.Values!, a!.Values!);
                    difference = columns.Count == 0 ? null
                        : new VerifyDifference(table.Name, e.Key, VerifyDifferenceKind.DifferentValues, columns, Rows.MemberLabel(table, e.Values));
                    e = await NextAsync(expected).ConfigureAwait(false);
                    a = await NextAsync(actual).ConfigureAwait(false);
                }

                compared++;
                if (difference is not null)
                {
                    count++;
                    if (differences.Count < VerifyResult.MaxListed)
                    {
                        differences.Add(difference);
                    }
                }
            }
        }

        return new VerifyResult(scope, compared, count, differences);
    }

    private static async Task<RowChange?> NextAsync(IAsyncEnumerator<RowChange> rows) =>
        await rows.MoveNextAsync().ConfigureAwait(false) ? rows.Current : null;

    private static List<string> DifferentColumns(TableDescription table, object?[] expected, object?[] actual)
    {
        var columns = new List<string>();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (!Equals(expected[i], actual[i]))
            {
                columns.Add(table.Columns[i].Name);
            }
        }

        return columns;
    }
}
