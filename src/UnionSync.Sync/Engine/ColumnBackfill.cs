using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Gives a child the parent's values of the added columns it has just gained (docs/sync-engine.md §10): the rows of the
/// child's scope that hold a value in one of them, read from one snapshot of the parent and written at the child only
/// where the child holds NULL. A fill is not a change (no version, nothing travels back). Until it is done the session
/// uploads without those columns, so a NULL that means "not known yet" never overwrites a value at the parent.
/// </summary>
internal static class ColumnBackfill
{
    public static async Task RunAsync(SessionContext context, CancellationToken cancellationToken)
    {
        if (context.NewColumns.Count == 0)
        {
            return;
        }

        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.backfill");

        // What arrives here is news to the child's own children too: each is backfilled again at its next session.
        await context.Child.Metadata.ForgetFilledColumnsAsync(context.NewColumns, cancellationToken).ConfigureAwait(false);
        var filled = 0L;
        await using (var snapshot = await context.Parent.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var table in context.Schema.All)
            {
                var gained = table.ExtraColumns.Where(c => context.NewColumns.Contains($"{table.Name}.{c.Name}")).ToList();
                if (gained.Count > 0)
                {
                    filled += await FillTableAsync(context, snapshot, SyncTables.Named(table.Name).WithExtraColumns(gained), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await context.Parent.Metadata.AddFilledColumnsAsync(context.ChildNode, context.NewColumns, cancellationToken).ConfigureAwait(false);
        Log.ColumnsBackfilled(context.Logger, context.ChildNode, string.Join(", ", context.NewColumns.Order(StringComparer.Ordinal)), filled);
    }

    private static async Task<long> FillTableAsync(SessionContext context, Providers.IChangeSnapshot snapshot, TableDescription table, CancellationToken cancellationToken)
    {
        var rows = new List<RowChange>(context.BatchSize);
        var filled = 0L;
        await foreach (var row in snapshot.ReadRowsAsync(table, RowSelection.Subtree(context.Scope), cancellationToken).ConfigureAwait(false))
        {
            if (row.Values is { } values && values.Skip(table.ContractColumnCount).Any(v => v is not null))
            {
                rows.Add(row);
                if (rows.Count == context.BatchSize)
                {
                    filled += await WriteAsync(context, table, rows, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return filled + await WriteAsync(context, table, rows, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> WriteAsync(SessionContext context, TableDescription table, List<RowChange> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using (var transaction = await context.Child.Applier.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            await transaction.FillColumnsAsync(table, rows, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var count = rows.Count;
        rows.Clear();
        context.Progress?.Report(new SyncProgress(SyncPhase.Download, table.Name, context.RowsDown));
        return count;
    }
}
