namespace UnionSync.Sync.Providers;

/// <summary>
/// Streams rows into one table. A row is an array of values in the table's column order, typed as
/// <see cref="Schema.ColumnType"/> says; the writer consumes it before returning, so the caller may reuse the array.
/// Disposing the writer without <see cref="CompleteAsync"/> aborts the load of this table.
/// </summary>
public interface IBulkTableWriter : IAsyncDisposable
{
    ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken);

    /// <summary>Flushes the rows written; returns how many rows the table received.</summary>
    Task<long> CompleteAsync(CancellationToken cancellationToken);
}
