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

    /// <summary>The organisation and all its descendants, as they are in this snapshot; empty when it does not exist.</summary>
    Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken);
}
