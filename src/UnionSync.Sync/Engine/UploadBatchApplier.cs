using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Applies one uploaded batch at the parent in one transaction (docs/sync-engine.md §5): skip if applied, read the
/// current state, check the scope (which may refuse the whole batch), resolve conflicts, apply per table in foreign-key
/// order keeping the parent's own bases, log the conflicts, record the batch, commit.
/// </summary>
internal sealed class UploadBatchApplier
{
    private readonly SessionContext _context;
    private readonly ScopeValidator _validator;
    private readonly ConflictResolver _resolver;

    public UploadBatchApplier(SessionContext context)
    {
        _context = context;
        _validator = new ScopeValidator(context);
        _resolver = new ConflictResolver(context.ChildNode, context.ParentNode);
    }

    /// <summary>Returns the number of changes applied (0 for a batch already applied).</summary>
    public async Task<int> ApplyAsync(IReadOnlyList<RowChange> batch, int number, CancellationToken cancellationToken)
    {
        var started = _context.TimeProvider.GetTimestamp();
        var id = _context.Batch(SyncDirection.Upload, number);
        await using var transaction = await _context.Parent.Applier.BeginAsync(cancellationToken).ConfigureAwait(false);
        if (await transaction.IsBatchAppliedAsync(id, cancellationToken).ConfigureAwait(false))
        {
            Log.BatchSkipped(_context.Logger, "up", number, _context.SessionId);
            return 0;
        }

        var state = await UploadBatchState.ReadAsync(transaction, _context.Scope, batch, cancellationToken).ConfigureAwait(false);
        var verdicts = await _validator.CheckAsync(transaction, batch, state, cancellationToken).ConfigureAwait(false);
        var accepted = new List<RowChange>(batch.Count);
        var conflicts = new List<ConflictRecord>();
        for (var i = 0; i < batch.Count; i++)
        {
            var change = batch[i];
            var current = state.CurrentOf(change);
            switch (verdicts[i])
            {
                case UploadVerdict.MovedOut:
                    conflicts.Add(_context.Conflict(new ConflictInput(
                        change.Table, change.Key, "moved-out", current?.Values, change.Values, current?.Identity, change.Origin,
                        "the move at the parent wins: the child's change is discarded and the child receives the removal")));
                    break;
                case UploadVerdict.ParentDeleted:
                    conflicts.Add(_context.Conflict(new ConflictInput(
                        change.Table, change.Key, "parent-row-deleted", null, change.Values, null, change.Origin,
                        "the delete at the parent wins: the child's row is removed at the child")));
                    _context.AddResend(new Resend(change.Table, change.Key, ChangeKind.Remove, null));
                    break;
                default:
                    var decision = _resolver.DecideUpload(change, current);
                    if (decision == ApplyDecision.Apply)
                    {
                        accepted.Add(change);
                    }
                    else if (decision == ApplyDecision.ParentWins)
                    {
                        conflicts.Add(_context.Conflict(new ConflictInput(
                            change.Table, change.Key, Kind(change, current!), current!.Values, change.Values, current.Identity, change.Origin,
                            "parent wins: the child's change is discarded and the parent's version is re-sent to the child")));
                        _context.AddResend(new Resend(change.Table, change.Key, current.Deleted ? ChangeKind.Delete : ChangeKind.Upsert, current.Identity));
                    }

                    break;
            }
        }

        var blocked = await DependentsProbe.FindBlockedAsync(_context.Parent, accepted, cancellationToken).ConfigureAwait(false);
        if (blocked.Count > 0)
        {
            foreach (var change in accepted.Where(c => blocked.Contains((c.Table.Name, c.Key))))
            {
                var current = state.CurrentOf(change)!;
                conflicts.Add(_context.Conflict(new ConflictInput(
                    change.Table, change.Key, "delete-with-unknown-dependents", current.Values, null, current.Identity, change.Origin,
                    "parent wins: the row has dependents at the parent that the child did not know of; it stays and is re-sent to the child")));
                _context.AddResend(new Resend(change.Table, change.Key, ChangeKind.Upsert, current.Identity));
            }

            accepted.RemoveAll(c => blocked.Contains((c.Table.Name, c.Key)));
        }

        foreach (var run in BatchPlanner.Runs(accepted, c => Rows.Level(state.CurrentOf(c)?.Values)))
        {
            await transaction.ApplyFromChildAsync(run[0].Table, run, _context.ChildNode, cancellationToken).ConfigureAwait(false);
        }

        foreach (var conflict in conflicts)
        {
            await transaction.RecordConflictAsync(conflict, cancellationToken).ConfigureAwait(false);
        }

        await transaction.RecordBatchAsync(id, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var conflict in conflicts)
        {
            Log.ConflictResolved(_context.Logger, conflict.Table, conflict.Key, conflict.Kind, conflict.ParentNode, conflict.ChildNode, conflict.Outcome);
        }

        _context.Conflicts += conflicts.Count;
        SyncTelemetry.Conflicts.Add(conflicts.Count);
        SyncTelemetry.RecordBatch("up", accepted.Count, _context.TimeProvider.GetElapsedTime(started));
        Log.BatchApplied(_context.Logger, "up", number, _context.SessionId, batch.Count, accepted.Count);
        return accepted.Count;
    }

    internal static string Kind(RowChange change, CurrentRow current) => (change.Kind, current.Deleted) switch
    {
        (ChangeKind.Upsert, false) => "update-update",
        (ChangeKind.Upsert, true) => "update-delete",
        (_, false) => "delete-update",
        _ => "delete-delete",
    };
}
