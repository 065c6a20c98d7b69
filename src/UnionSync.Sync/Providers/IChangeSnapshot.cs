using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Providers;

/// <summary>
/// One read transaction. <see cref="Watermark"/> is read inside it, so every change it returns is covered by the
/// watermark and no change committed later is skipped next time (the watermark race, DESIGN §7).
/// </summary>
public interface IChangeSnapshot : IAsyncDisposable
{
    Guid NodeId { get; }

    long Watermark { get; }

    /// <summary>Streams the changes the query selects, in primary-key order, each with its identities; upserts carry current values.</summary>
    IAsyncEnumerable<RowChange> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken);

    /// <summary>Streams the scope moves logged after <paramref name="since"/>.</summary>
    IAsyncEnumerable<ScopeMove> ReadMovesAsync(long since, CancellationToken cancellationToken);

    /// <summary>Streams current rows (as upserts with their identities) in primary-key order.</summary>
    IAsyncEnumerable<RowChange> ReadRowsAsync(TableDescription table, RowSelection selection, CancellationToken cancellationToken);

    /// <summary>
    /// The agreed values (docs/sync-engine.md §11) of those keys that have a base row here: the row as this node last agreed
    /// it with its parent, kept from its first change here since then. Values in the order of the table's contract columns
    /// (<see cref="Schema.SyncTables"/>), typed as <see cref="ReadRowsAsync"/> types them; a key without a base row is absent.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, object?[]>> ReadBaseRowsAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken);

    /// <summary>The organisation and all its descendants, as they are in this snapshot; empty when it does not exist.</summary>
    Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken);
}
