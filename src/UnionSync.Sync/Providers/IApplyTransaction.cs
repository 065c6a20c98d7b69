using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Providers;

/// <summary>
/// One batch's write transaction (docs/sync-engine.md §5). Disposing it without <see cref="CommitAsync"/> rolls
/// everything back, batch record included.
/// </summary>
public interface IApplyTransaction : IAsyncDisposable
{
    Task<bool> IsBatchAppliedAsync(BatchId batch, CancellationToken cancellationToken);

    /// <summary>What this node holds for the keys; a key absent from the result has never existed here.</summary>
    Task<IReadOnlyDictionary<Guid, CurrentRow>> ReadCurrentAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken);

    /// <summary>The organisation and its descendants as this transaction sees them.</summary>
    Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken);

    /// <summary>
    /// Those of <paramref name="organizations"/> that exist and lie in the subtree of <paramref name="root"/> (itself
    /// included), as this transaction sees them: found by walking up from each, so the cost follows how many are asked
    /// and the depth of the tree, not the size of the subtree.
    /// </summary>
    Task<IReadOnlySet<Guid>> ReadInSubtreeAsync(Guid root, IReadOnlyCollection<Guid> organizations, CancellationToken cancellationToken);

    /// <summary>For cards: the organisation of each member (members of the keys given), as this transaction sees them.</summary>
    Task<IReadOnlyDictionary<Guid, Guid>> ReadMemberOrganizationsAsync(IReadOnlyCollection<Guid> memberKeys, CancellationToken cancellationToken);

    /// <summary>
    /// The rows that already hold these values of the table's unique natural key (<c>members.id_number</c>,
    /// <c>service_cards.card_number</c>; organisations have none and return nothing): value → the key of the row holding it.
    /// </summary>
    Task<IReadOnlyDictionary<string, Guid>> FindByNaturalKeyAsync(TableDescription table, IReadOnlyCollection<string> values, CancellationToken cancellationToken);

    /// <summary>Scope moves of these keys logged after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<ScopeMove>> ReadMovesAsync(string table, IReadOnlyCollection<Guid> keys, long since, CancellationToken cancellationToken);

    /// <summary>
    /// Writes upserts and deletes of one table through the provider's fast path, and their tracking rows: a new local
    /// version, the change's origin, base := origin, source peer := <paramref name="sourcePeer"/>. Callers order
    /// tables and rows so that foreign keys hold.
    /// </summary>
    Task ApplyAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ApplyAsync"/>, for changes that arrive from a <em>child</em> (the upload side), with one difference in
    /// the tracking rows: the <c>base</c> is kept as it was here (a row with no tracking row yet gets base NULL), because
    /// the base is the version this node agreed with <em>its own parent</em>, and the change is forwarded up with it
    /// (docs/sync-engine.md §1, §5; multi-tier). Writing base := origin here makes every change forwarded from a
    /// grandchild a spurious conflict at the grandparent. The default delegates to <see cref="ApplyAsync"/>, which is
    /// right only on a node that has no parent; providers override it.
    /// </summary>
    Task ApplyFromChildAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken) =>
        ApplyAsync(table, changes, sourcePeer, cancellationToken);

    /// <summary>
    /// Removes rows that left this node's scope, locally: an organisation with its local subtree, a member with its
    /// cards; their tracking rows go too, and nothing is recorded to travel up (no tombstone).
    /// Multi-tier (§4.7, "removed at every tier"): for each key given, the removal is appended to the move log
    /// (<c>unionsync_moves</c>: a new local version, <c>from_org</c> = the organisation that placed the row in scopes
    /// here before the removal — an organisation's parent, a member's organisation, a card's member's organisation —
    /// and <c>to_org</c> NULL), so that this node's own children that hold the row receive the removal in turn and
    /// a child's later edit of it is recognised as a conflict with the move.
    /// </summary>
    Task RemoveLocallyAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Fills the added columns of <paramref name="table"/> (its <see cref="TableDescription.ExtraColumns"/>) from
    /// <paramref name="rows"/>, in rows this node holds and only where it holds NULL in that column: the backfill of a
    /// column this node has just gained (docs/sync-engine.md §10). Not a change: no tracking row is written and no version
    /// taken, so nothing travels back; a value set here since stays.
    /// </summary>
    Task FillColumnsAsync(TableDescription table, IReadOnlyList<RowChange> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Drops the base rows (docs/sync-engine.md §11) of these keys: their changes went up and the parent holds them, so
    /// each row is agreed as it is, and its next change here keeps the row as it is now.
    /// </summary>
    Task DropBaseRowsAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken);

    /// <summary>
    /// A version of this node's own hybrid logical clock (docs/sync-engine.md §8) for a change the engine writes here as
    /// this node's own (a row merged by columns, an operator's decision for the child's version): above
    /// <paramref name="above"/>, above this node's floor, and taken the way its triggers take theirs, so that no other
    /// row is given the same version by this transaction, a concurrent one or a local write. The floor is raised to it,
    /// so every later local write is larger.
    /// </summary>
    Task<long> NextOwnVersionAsync(long above, CancellationToken cancellationToken);

    Task RecordConflictAsync(ConflictRecord conflict, CancellationToken cancellationToken);

    /// <summary>Marks a queued conflict decided with <paramref name="outcome"/>; false when it is not queued (any more).</summary>
    Task<bool> DecideConflictAsync(long id, string outcome, CancellationToken cancellationToken);

    Task RecordBatchAsync(BatchId batch, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
