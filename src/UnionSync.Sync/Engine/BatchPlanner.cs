using System.Runtime.CompilerServices;
using UnionSync.Sync.Changes;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Cuts an ordered change stream into batches of a fixed size; memory holds one batch. Organisation deletions and
/// removals are never split across batches: the receiver orders them children first within one transaction.
/// </summary>
internal sealed class BatchPlanner
{
    private readonly int _batchSize;

    public BatchPlanner(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _batchSize = batchSize;
    }

    public async IAsyncEnumerable<IReadOnlyList<RowChange>> PlanAsync(IAsyncEnumerable<RowChange> changes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new List<RowChange>(_batchSize);
        await foreach (var change in changes.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Count >= _batchSize && !(Rows.IsOrganizationDelete(change) && Rows.IsOrganizationDelete(batch[^1])))
            {
                yield return batch;
                batch = new List<RowChange>(_batchSize);
            }

            batch.Add(change);
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Consecutive changes of one table, one kind group (upserts, or deletions and removals) and, for organisation
    /// upserts, one level: the units an applier takes. Organisation deletions come children first.
    /// </summary>
    public static IEnumerable<List<RowChange>> Runs(IEnumerable<RowChange> changes, Func<RowChange, int>? deleteLevel = null)
    {
        List<RowChange>? run = null;
        foreach (var change in changes)
        {
            if (run is not null && !SameRun(run[^1], change))
            {
                yield return Order(run, deleteLevel);
                run = null;
            }

            run ??= [];
            run.Add(change);
        }

        if (run is not null)
        {
            yield return Order(run, deleteLevel);
        }
    }

    private static bool SameRun(RowChange a, RowChange b) =>
        a.Table.Name == b.Table.Name
        && a.Kind == b.Kind
        && (a.Kind != ChangeKind.Upsert || !Rows.IsOrganizations(a.Table) || Rows.Level(a) == Rows.Level(b));

    private static List<RowChange> Order(List<RowChange> run, Func<RowChange, int>? deleteLevel)
    {
        if (deleteLevel is not null && run.Count > 1 && Rows.IsOrganizationDelete(run[0]))
        {
            run.Sort((x, y) => deleteLevel(y).CompareTo(deleteLevel(x)));
        }

        return run;
    }
}
