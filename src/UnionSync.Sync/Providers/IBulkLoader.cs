namespace UnionSync.Sync.Providers;

/// <summary>The provider's fast path for writing many rows (SQLite prepared statements, PostgreSQL binary COPY, SqlBulkCopy).</summary>
public interface IBulkLoader
{
    /// <summary>Opens a connection and a transaction for a load; nothing is visible to others before <see cref="IBulkLoadTransaction.CommitAsync"/>.</summary>
    Task<IBulkLoadTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="BeginAsync"/>, for rows copied verbatim from a peer database whose own constraints (the same schema's)
    /// already admitted them: a child's initial load or reload. A provider may skip re-checking what those constraints
    /// checked (SQLite skips its CHECK constraints, which cost more than half of an insert; keys, foreign keys, NOT NULL
    /// and column types still hold). By default the same as <see cref="BeginAsync"/>.
    /// </summary>
    Task<IBulkLoadTransaction> BeginCopyAsync(CancellationToken cancellationToken) => BeginAsync(cancellationToken);
}
