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

    /// <summary>For cards: the organisation of each member (members of the keys given), as this transaction sees them.</summary>
    Task<IReadOnlyDictionary<Guid, Guid>> ReadMemberOrganizationsAsync(IReadOnlyCollection<Guid> memberKeys, CancellationToken cancellationToken);

    /// <summary>Scope moves of these keys logged after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<ScopeMove>> ReadMovesAsync(string table, IReadOnlyCollection<Guid> keys, long since, CancellationToken cancellationToken);

    /// <summary>
    /// Writes upserts and deletes of one table through the provider's fast path, and their tracking rows: a new local
    /// version, the change's origin, base := origin, source peer := <paramref name="sourcePeer"/>. Callers order
    /// tables and rows so that foreign keys hold.
    /// </summary>
    Task ApplyAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken);

    /// <summary>
    /// Removes rows that left this node's scope, locally: an organisation with its local subtree, a member with its
    /// cards; their tracking rows go too, and nothing is recorded to travel.
    /// </summary>
    Task RemoveLocallyAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken);

    Task RecordConflictAsync(ConflictRecord conflict, CancellationToken cancellationToken);

    Task RecordBatchAsync(BatchId batch, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
