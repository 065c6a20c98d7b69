namespace UnionSync.Sync.Providers;

/// <summary>
/// A load of one or more tables in one transaction. Tables are written one at a time (parents before children).
/// Disposing it without <see cref="CommitAsync"/> rolls the whole load back.
/// </summary>
public interface IBulkLoadTransaction : IAsyncDisposable
{
    /// <summary>Starts writing rows into <paramref name="table"/>; the previous table's writer must be completed first.</summary>
    Task<IBulkTableWriter> OpenTableAsync(Schema.TableDescription table, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
