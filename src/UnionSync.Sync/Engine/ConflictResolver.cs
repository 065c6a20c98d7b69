using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Detects conflicts by version identities (docs/sync-engine.md §5), never by watermarks or clocks, and decides them by
/// the parent's policy for the table. Only the parent decides: at the child, a parent version that would overwrite a
/// change the child has not sent yet is deferred, and the child's change meets the policy at the parent next session.
/// </summary>
internal sealed class ConflictResolver
{
    private readonly Guid _childNode;
    private readonly Guid _parentNode;
    private readonly PolicySet _policies;

    public ConflictResolver(Guid childNode, Guid parentNode, PolicySet policies)
    {
        _childNode = childNode;
        _parentNode = parentNode;
        _policies = policies;
    }

    public ConflictPolicy PolicyOf(string table) => _policies.For(table).Policy;

    public TablePolicy TablePolicyOf(string table) => _policies.For(table);

    /// <summary>The policy that decides a whole row: the table's, or its fallback when the table merges by columns (deletes, moves).</summary>
    public ConflictPolicy WholeRowPolicyOf(string table) => _policies.For(table) is var policy && policy.Policy.MergesColumns() ? policy.Fallback : policy.Policy;

    /// <summary>
    /// At the parent: a change conflicts when the parent's current identity is not the change's base (the parent
    /// changed the row since the child last agreed with it) and that current version did not come from this child.
    /// A change whose identity the parent already holds is a no-op.
    /// </summary>
    public ApplyDecision DecideUpload(RowChange change, CurrentRow? current)
    {
        if (current is null)
        {
            return change.Kind == ChangeKind.Upsert ? ApplyDecision.Apply : ApplyDecision.Skip;
        }

        if (Identities.Same(current.Identity, change.Origin) || (current.Deleted && change.Kind == ChangeKind.Delete))
        {
            return ApplyDecision.Skip;
        }

        var changedHere = !Identities.Same(current.Identity, change.Base) && current.SourcePeer != _childNode;
        return changedHere ? ApplyDecision.Conflict : ApplyDecision.Apply;
    }

    /// <summary>
    /// Decides a conflict of whole rows by the table's policy (its fallback when it merges by columns). Last writer wins
    /// compares hybrid logical clocks, never wall clocks.
    /// </summary>
    public ConflictWinner Resolve(RowChange change, CurrentRow current) => WholeRowPolicyOf(change.Table.Name) switch
    {
        ConflictPolicy.ChildWins => ConflictWinner.Child,
        ConflictPolicy.LastWriterWins => Identities.CompareByClock(change.Origin, current.Identity) > 0 ? ConflictWinner.Child : ConflictWinner.Parent,
        ConflictPolicy.Manual => ConflictWinner.Queued,
        _ => ConflictWinner.Parent,
    };

    /// <summary>
    /// At the child: whether to apply the parent's change. An upsert over a change of the child's own that this session
    /// did not upload is deferred (skipped): the child's change goes up next session and the parent's policy decides,
    /// so that every conflict is decided in one place by one policy. A delete or a removal is applied even then (the
    /// parent's rows above it may be going too, and foreign keys must hold); the child's lost change is then a conflict.
    /// </summary>
    /// <param name="uploaded">The child's current version of the row is the one this session uploaded.</param>
    public (ApplyDecision Decision, bool Conflict) DecideDownload(RowChange change, CurrentRow? current, long uploadWatermark, bool uploaded)
    {
        if (change.Kind == ChangeKind.Remove)
        {
            // Also over a row the child deleted: its tombstone goes, and the removal is logged from where the tombstone
            // placed it, so the child's own children hear of it, and a later edit of the row below is a conflict with
            // the move, not a resurrection of a row outside the scope.
            return (ApplyDecision.Apply, false);
        }

        if (current is not null && !uploaded && IsUnsent(current, uploadWatermark))
        {
            return change.Kind == ChangeKind.Upsert ? (ApplyDecision.Skip, false) : (ApplyDecision.Apply, !current.Deleted);
        }

        if (current is null || current.Deleted)
        {
            return (change.Kind == ChangeKind.Upsert ? ApplyDecision.Apply : ApplyDecision.Skip, false);
        }

        return change.Kind == ChangeKind.Upsert && Identities.Same(current.Identity, change.Origin) ? (ApplyDecision.Skip, false) : (ApplyDecision.Apply, false);
    }

    private bool IsUnsent(CurrentRow current, long uploadWatermark) =>
        current.LocalVersion > uploadWatermark && current.SourcePeer != _parentNode;
}
