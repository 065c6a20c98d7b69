using UnionSync.Sync.Changes;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Detects conflicts by version identities (docs/sync-engine.md §5), never by watermarks or clocks, and resolves them
/// by this policy, parent wins.
/// </summary>
internal sealed class ConflictResolver
{
    public const string PolicyName = "parent-wins";

    private readonly Guid _childNode;
    private readonly Guid _parentNode;

    public ConflictResolver(Guid childNode, Guid parentNode)
    {
        _childNode = childNode;
        _parentNode = parentNode;
    }

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
        return changedHere ? ApplyDecision.ParentWins : ApplyDecision.Apply;
    }

    /// <summary>
    /// At the child: the parent's change is applied (parent wins) unless already there; it is a conflict when the
    /// child's row holds a change of its own newer than what this session uploaded.
    /// </summary>
    public (ApplyDecision Decision, bool Conflict) DecideDownload(RowChange change, CurrentRow? current, long uploadWatermark)
    {
        if (change.Kind == ChangeKind.Remove)
        {
            return (ApplyDecision.Apply, false);
        }

        if (current is null || current.Deleted)
        {
            return change.Kind == ChangeKind.Upsert ? (ApplyDecision.Apply, current is not null && IsUnsent(current, uploadWatermark)) : (ApplyDecision.Skip, false);
        }

        if (change.Kind == ChangeKind.Upsert && Identities.Same(current.Identity, change.Origin))
        {
            return (ApplyDecision.Skip, false);
        }

        return (ApplyDecision.Apply, IsUnsent(current, uploadWatermark));
    }

    private bool IsUnsent(CurrentRow current, long uploadWatermark) =>
        current.LocalVersion > uploadWatermark && current.SourcePeer != _parentNode;
}
