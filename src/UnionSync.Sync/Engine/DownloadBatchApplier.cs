using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Applies one downloaded batch at the child in one transaction: skip if applied, read the current state, drop what is
/// already there, defer the parent's upserts over the child's changes not uploaded yet (the parent's policy decides them
/// next session), apply per table with base := the parent's identity, remove rows that left the scope, commit. A delete
/// over such a change is applied and logged in the parent's database.
/// </summary>
internal sealed class DownloadBatchApplier
{
    private readonly SessionContext _context;
    private readonly ConflictResolver _resolver;

    public DownloadBatchApplier(SessionContext context)
    {
        _context = context;
        _resolver = new ConflictResolver(context.ChildNode, context.ParentNode, context.Policies);
    }

    public async Task<int> ApplyAsync(IReadOnlyList<RowChange> batch, int number, CancellationToken cancellationToken)
    {
        var started = _context.TimeProvider.GetTimestamp();
        var id = _context.Batch(SyncDirection.Download, number);
        var conflicts = new List<ConflictRecord>();
        var applied = 0;
        await using (var transaction = await _context.Child.Applier.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await transaction.IsBatchAppliedAsync(id, cancellationToken).ConfigureAwait(false))
            {
                Log.BatchSkipped(_context.Logger, "down", number, _context.SessionId);
                return 0;
            }

            // Removals that lead the stream (members and cards merged or gone at the parent) take the rows, and their cards,
            // away before the rest is read: an upsert behind them is decided against what is left.
            var leading = batch.TakeWhile(c => c.Kind == ChangeKind.Remove).Count();
            IReadOnlyList<RowChange>[] parts = leading > 0 && leading < batch.Count ? [batch.Take(leading).ToList(), batch.Skip(leading).ToList()] : [batch];
            foreach (var part in parts)
            {
                applied += await ApplyPartAsync(transaction, part, conflicts, cancellationToken).ConfigureAwait(false);
            }

            await transaction.RecordBatchAsync(id, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await RecordAtParentAsync(conflicts, cancellationToken).ConfigureAwait(false);
        SyncTelemetry.RecordBatch("down", applied, _context.TimeProvider.GetElapsedTime(started));
        Log.BatchApplied(_context.Logger, "down", number, _context.SessionId, batch.Count, applied);
        return applied;
    }

    private async Task<int> ApplyPartAsync(IApplyTransaction transaction, IReadOnlyList<RowChange> batch, List<ConflictRecord> conflicts, CancellationToken cancellationToken)
    {
        var applied = 0;
        var current = await ReadCurrentAsync(transaction, batch, cancellationToken).ConfigureAwait(false);
        var accepted = new List<RowChange>(batch.Count);
        var seen = new HashSet<(string, Guid, ChangeKind)>();
        var removed = batch.Where(c => c.Kind == ChangeKind.Remove).Select(c => (c.Table.Name, c.Key)).ToHashSet();
        foreach (var change in batch)
        {
            // A row can come twice (a re-sent version and the same one among the changes): the second is decided against
            // the state before the first, so it is dropped (a repeated delete would write over the tombstone's scope). A
            // delete of a row removed in the same batch is dropped too: the row left the scope, which this node's children
            // must hear as a removal (a later edit below is then a conflict with the move, not a resurrection).
            if (!seen.Add((change.Table.Name, change.Key, change.Kind))
                || (change.Kind == ChangeKind.Delete && removed.Contains((change.Table.Name, change.Key))))
            {
                continue;
            }

            current.TryGetValue((change.Table.Name, change.Key), out var row);
            var (decision, conflict) = _resolver.DecideDownload(change, row, _context.UploadWatermark, row is not null && _context.WasUploaded(change.Table, change.Key, row.Identity));
            if (decision != ApplyDecision.Apply)
            {
                continue;
            }

            if (conflict)
            {
                conflicts.Add(_context.Conflict(new ConflictInput(
                    change.Table, change.Key, "child-unsent-change", change.Values, row!.Values, change.Origin, row.Identity,
                    "the parent's delete wins whatever the policy: the child's change made during this session is removed with the row",
                    _resolver.PolicyOf(change.Table.Name))));
            }

            accepted.Add(change);
        }

        foreach (var run in BatchPlanner.Runs(accepted, c => current.TryGetValue((c.Table.Name, c.Key), out var r) ? Rows.Level(r.Values) : 0))
        {
            if (run[0].Kind == ChangeKind.Remove)
            {
                await transaction.RemoveLocallyAsync(run[0].Table, [.. run.Select(c => c.Key)], cancellationToken).ConfigureAwait(false);
                _context.Removals += run.Count(c => current.ContainsKey((c.Table.Name, c.Key)));
            }
            else
            {
                await transaction.ApplyAsync(run[0].Table, [.. run.Select(Identities.ForApply)], _context.ParentNode, cancellationToken).ConfigureAwait(false);
                applied += run.Count;
            }
        }

        return applied;
    }

    private static async Task<Dictionary<(string Table, Guid Key), CurrentRow>> ReadCurrentAsync(
        IApplyTransaction transaction, IReadOnlyList<RowChange> batch, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, Guid), CurrentRow>();
        foreach (var group in batch.GroupBy(c => c.Table.Name, StringComparer.Ordinal))
        {
            var table = group.First().Table;
            var rows = await transaction.ReadCurrentAsync(table, [.. group.Select(c => c.Key).Distinct()], cancellationToken).ConfigureAwait(false);
            foreach (var (key, row) in rows)
            {
                result[(table.Name, key)] = row;
            }
        }

        return result;
    }

    /// <summary>The conflict log lives in the parent's database (docs/sync-engine.md §5.5); written after the child's commit.</summary>
    private async Task RecordAtParentAsync(List<ConflictRecord> conflicts, CancellationToken cancellationToken)
    {
        if (conflicts.Count == 0)
        {
            return;
        }

        await using var transaction = await _context.Parent.Applier.BeginAsync(cancellationToken).ConfigureAwait(false);
        foreach (var conflict in conflicts)
        {
            await transaction.RecordConflictAsync(conflict, cancellationToken).ConfigureAwait(false);
            Log.ConflictResolved(_context.Logger, conflict.Table, conflict.Key, conflict.Kind, conflict.ParentNode, conflict.ChildNode, conflict.Outcome);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _context.Conflicts += conflicts.Count;
        SyncTelemetry.Conflicts.Add(conflicts.Count);
    }
}
