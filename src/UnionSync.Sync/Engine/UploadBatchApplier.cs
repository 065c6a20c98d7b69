using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;
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
    private readonly NaturalKeyMerger _merger;

    /// <summary>Rows this batch writes as new versions of the parent's own (merged by columns), by reference.</summary>
    private readonly HashSet<RowChange> _writtenHere = new(ReferenceEqualityComparer.Instance);

    public UploadBatchApplier(SessionContext context)
    {
        _context = context;
        _validator = new ScopeValidator(context);
        _resolver = new ConflictResolver(context.ChildNode, context.ParentNode, context.Policies);
        _merger = new NaturalKeyMerger(context, _resolver);
    }

    /// <summary>Returns the number of changes applied (0 for a batch already applied).</summary>
    public async Task<int> ApplyAsync(IReadOnlyList<RowChange> batch, int number, CancellationToken cancellationToken)
    {
        var started = _context.TimeProvider.GetTimestamp();
        _writtenHere.Clear();
        var id = _context.Batch(SyncDirection.Upload, number);
        await using var transaction = await _context.Parent.Applier.BeginAsync(cancellationToken).ConfigureAwait(false);
        if (await transaction.IsBatchAppliedAsync(id, cancellationToken).ConfigureAwait(false))
        {
            Log.BatchSkipped(_context.Logger, "up", number, _context.SessionId);
            return 0;
        }

        var state = await UploadBatchState.ReadAsync(transaction, _context.Scope, batch, cancellationToken).ConfigureAwait(false);
        (batch, var duplicates, var repointed) = await _merger.PrepareAsync(transaction, batch, state, cancellationToken).ConfigureAwait(false);
        var verdicts = await CheckScopeAsync(transaction, batch, repointed, state, cancellationToken).ConfigureAwait(false);
        var accepted = new List<RowChange>(batch.Count);
        var conflicts = new List<ConflictRecord>();
        var movedOutCards = new List<RowChange>();
        for (var i = 0; i < batch.Count; i++)
        {
            var change = batch[i];
            var current = state.CurrentOf(change);
            if (duplicates.TryGetValue(i, out var survivor) && verdicts[i] == UploadVerdict.InScope)
            {
                await _merger.MergeAsync(transaction, change, survivor, state, accepted, conflicts, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (repointed.Contains(i))
            {
                await _merger.AcceptRepointedAsync(transaction, change, state, accepted, cancellationToken).ConfigureAwait(false);
                continue;
            }

            switch (verdicts[i])
            {
                case UploadVerdict.MovedOut when Rows.IsCards(change.Table):
                    movedOutCards.Add(change);
                    break;
                case UploadVerdict.MovedOut:
                    DecideMovedOut(change, current, accepted, conflicts);
                    break;
                case UploadVerdict.ParentDeleted:
                    conflicts.Add(_context.Conflict(new ConflictInput(
                        change.Table, change.Key, "parent-row-deleted", null, change.Values, null, change.Origin,
                        "the delete at the parent wins whatever the policy (the row's parent row is gone): the child's row is removed at the child",
                        _resolver.PolicyOf(change.Table.Name))));
                    _context.AddResend(new Resend(change.Table, change.Key, ChangeKind.Remove, null));
                    break;
                default:
                    var decision = _resolver.DecideUpload(change, current);
                    if (decision == ApplyDecision.Apply)
                    {
                        accepted.Add(change);
                    }
                    else if (decision == ApplyDecision.Conflict)
                    {
                        await DecideAsync(transaction, change, current!, Kind(change, current!), accepted, conflicts, cancellationToken).ConfigureAwait(false);
                    }

                    break;
            }
        }

        // A card whose member had moved out is decided after the members: when the policy brought its member back into
        // the scope in this batch, the card is where the child had it and simply applies.
        var returned = accepted.Where(c => Rows.IsMembers(c.Table) && c.Kind == ChangeKind.Upsert && Rows.Organization(c.Values) is { } org && state.Scope.Contains(org))
            .Select(c => c.Key).ToHashSet();
        foreach (var card in movedOutCards)
        {
            if (Rows.Member(card.Values) is { } member && returned.Contains(member))
            {
                accepted.Add(card);
            }
            else
            {
                DecideMovedOut(card, state.CurrentOf(card), accepted, conflicts);
            }
        }

        if (movedOutCards.Count > 0)
        {
            // Back in stream order: upserts parents first, deletes children first (a stable sort keeps organisation levels).
            var ordered = accepted.OrderBy(c => c.Kind == ChangeKind.Upsert ? Rows.TableIndex(c.Table) : 10 - Rows.TableIndex(c.Table)).ToList();
            accepted.Clear();
            accepted.AddRange(ordered);
        }

        var blocked = await DependentsProbe.FindBlockedAsync(_context.Parent, accepted, cancellationToken).ConfigureAwait(false);
        if (blocked.Count > 0)
        {
            foreach (var change in accepted.Where(c => blocked.Contains((c.Table.Name, c.Key))))
            {
                var current = state.CurrentOf(change)!;
                conflicts.Add(_context.Conflict(new ConflictInput(
                    change.Table, change.Key, "delete-with-unknown-dependents", current.Values, null, current.Identity, change.Origin,
                    "the parent's row stays whatever the policy: it has dependents at the parent that the child did not know of; it is re-sent to the child",
                    _resolver.PolicyOf(change.Table.Name))));
                _context.AddResend(new Resend(change.Table, change.Key, ChangeKind.Upsert, current.Identity));
            }

            accepted.RemoveAll(c => blocked.Contains((c.Table.Name, c.Key)));
        }

        var dangling = await DanglingReferences.FindAsync(transaction, accepted, cancellationToken).ConfigureAwait(false);
        if (dangling.Count > 0)
        {
            foreach (var change in accepted.Where(c => dangling.Contains((c.Table.Name, c.Key))))
            {
                var current = state.CurrentOf(change);
                conflicts.Add(_context.Conflict(new ConflictInput(
                    change.Table, change.Key, "parent-row-deleted", current?.Values, change.Values, current?.Identity, change.Origin,
                    "the delete at the parent wins whatever the policy (the row's parent row is gone there, or its change lost): the child's row is removed at the child",
                    _resolver.PolicyOf(change.Table.Name))));
                _context.AddResend(current is { Deleted: false }
                    ? new Resend(change.Table, change.Key, ChangeKind.Upsert, current.Identity)
                    : new Resend(change.Table, change.Key, ChangeKind.Remove, null));
            }

            accepted.RemoveAll(c => dangling.Contains((c.Table.Name, c.Key)));
        }

        foreach (var run in BatchPlanner.Runs(accepted, c => Rows.Level(state.CurrentOf(c)?.Values)))
        {
            // In order, each stretch with its source: the child's changes, or rows merged here (sent to every child).
            for (var start = 0; start < run.Count;)
            {
                var here = _writtenHere.Contains(run[start]);
                var end = start;
                while (end < run.Count && _writtenHere.Contains(run[end]) == here)
                {
                    end++;
                }

                var stretch = start == 0 && end == run.Count ? run : run.GetRange(start, end - start);
                await transaction.ApplyFromChildAsync(run[0].Table, stretch, here ? _context.ParentNode : _context.ChildNode, cancellationToken).ConfigureAwait(false);
                start = end;
            }
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

    /// <summary>The scope check of every change but the re-pointed cards of merged members (they are the parent's member's now).</summary>
    private async Task<UploadVerdict[]> CheckScopeAsync(
        IApplyTransaction transaction, IReadOnlyList<RowChange> batch, HashSet<int> repointed, UploadBatchState state, CancellationToken cancellationToken)
    {
        if (repointed.Count == 0)
        {
            return await _validator.CheckAsync(transaction, batch, state, cancellationToken).ConfigureAwait(false);
        }

        var checkedPositions = Enumerable.Range(0, batch.Count).Where(i => !repointed.Contains(i)).ToList();
        var some = await _validator.CheckAsync(transaction, [.. checkedPositions.Select(i => batch[i])], state, cancellationToken).ConfigureAwait(false);
        var verdicts = new UploadVerdict[batch.Count];
        for (var j = 0; j < checkedPositions.Count; j++)
        {
            verdicts[checkedPositions[j]] = some[j];
        }

        return verdicts;
    }

    /// <summary>A row changed on both sides: the table's policy decides, and the log says how.</summary>
    private async Task DecideAsync(
        IApplyTransaction transaction, RowChange change, CurrentRow current, string kind, List<RowChange> accepted, List<ConflictRecord> conflicts, CancellationToken cancellationToken)
    {
        var policy = _resolver.PolicyOf(change.Table.Name);
        if (policy.MergesColumns() && change.Kind == ChangeKind.Upsert && current is { Deleted: false, Values: not null })
        {
            await MergeAsync(transaction, change, current, kind, accepted, conflicts, cancellationToken).ConfigureAwait(false);
            return;
        }

        var winner = _resolver.Resolve(change, current);
        var outcome = ConflictOutcomes.Describe(_resolver.WholeRowPolicyOf(change.Table.Name), winner, change, current);
        if (policy.MergesColumns())
        {
            outcome = "a delete is not merged by columns, the fallback decides: " + outcome;
        }

        conflicts.Add(_context.Conflict(new ConflictInput(
            change.Table, change.Key, kind, current.Values, change.Values, current.Identity, change.Origin, outcome, policy, winner == ConflictWinner.Queued)));
        if (winner == ConflictWinner.Child)
        {
            accepted.Add(change);
        }
        else
        {
            _context.AddResend(new Resend(change.Table, change.Key, current.Deleted ? ChangeKind.Delete : ChangeKind.Upsert, current.Identity));
        }
    }

    /// <summary>
    /// An update/update conflict under merge-columns or field-authority (docs/sync-engine.md §11): the row the merge
    /// decides is the parent's (re-sent), the child's (applied as it came), or a new version written here by this node
    /// (its origin, so it travels up like a local edit and down to every child holding the row, the one that sent the
    /// change included).
    /// </summary>
    private async Task MergeAsync(
        IApplyTransaction transaction, RowChange change, CurrentRow current, string kind, List<RowChange> accepted, List<ConflictRecord> conflicts, CancellationToken cancellationToken)
    {
        var policy = _resolver.TablePolicyOf(change.Table.Name);
        var merge = ColumnMerge.Of(policy, change, current);
        string result;
        if (merge.Merged.SequenceEqual(current.Values!))
        {
            result = "the parent's version stays and is re-sent to the child";
            _context.AddResend(new Resend(change.Table, change.Key, ChangeKind.Upsert, current.Identity));
        }
        else if (merge.Merged.SequenceEqual(change.Values!))
        {
            result = "the child's version is applied as it is";
            accepted.Add(change);
        }
        else
        {
            result = "the merged row is written here as a new version and sent to the child";
            var above = Math.Max(Identities.Normalize(current.Identity)?.Version ?? 0, Identities.Normalize(change.Origin)?.Version ?? 0);
            var merged = new RowChange
            {
                Table = change.Table,
                Key = change.Key,
                Kind = ChangeKind.Upsert,
                Values = merge.Merged,
                Origin = new VersionIdentity(_context.ParentNode, await transaction.NextOwnVersionAsync(above, cancellationToken).ConfigureAwait(false)),
            };
            _writtenHere.Add(merged);
            accepted.Add(merged);
        }

        if (merge.Queued)
        {
            result += "; queued until an operator decides with unionsync conflicts resolve ID --take parent|child (the child's version kept here is the merged row with the child's values of the contested columns)";
        }

        conflicts.Add(_context.Conflict(new ConflictInput(
            change.Table, change.Key, kind, current.Values, merge.Queued ? merge.ChildAlternative : change.Values, current.Identity, change.Origin,
            merge.Describe(policy, result), policy.Policy, merge.Queued)));
    }

    /// <summary>
    /// The child changed a row that a move at the parent took out of its scope since its last download (DESIGN §4.9):
    /// a conflict with the move, decided by the policy; the move stands when the parent wins (the child receives the
    /// removal this session) and when this node does not hold the row (a new row, or one that left this node's own scope too).
    /// </summary>
    private void DecideMovedOut(RowChange change, CurrentRow? current, List<RowChange> accepted, List<ConflictRecord> conflicts)
    {
        var policy = _resolver.PolicyOf(change.Table.Name);
        var winner = current is null || current.Deleted ? ConflictWinner.Parent : _resolver.Resolve(change, current);
        var outcome = winner == ConflictWinner.Child
            ? ConflictOutcomes.Describe(policy, winner, change, current!) + "; the row returns to where the child had it"
            : "the move at the parent wins: the child's change is discarded and the child receives the removal"
              + (winner == ConflictWinner.Queued ? "; queued for an operator to decide" : string.Empty);
        conflicts.Add(_context.Conflict(new ConflictInput(
            change.Table, change.Key, "moved-out", current?.Values, change.Values, current?.Identity, change.Origin, outcome, policy, winner == ConflictWinner.Queued)));
        if (winner == ConflictWinner.Child)
        {
            accepted.Add(change);
        }
    }

    internal static string Kind(RowChange change, CurrentRow current) => (change.Kind, current.Deleted) switch
    {
        (ChangeKind.Upsert, false) => "update-update",
        (ChangeKind.Upsert, true) => "update-delete",
        (_, false) => "delete-update",
        _ => "delete-delete",
    };
}
