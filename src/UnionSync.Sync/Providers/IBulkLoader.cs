namespace UnionSync.Sync.Providers;

/// <summary>The provider's fast path for writing many rows (SQLite prepared statements, PostgreSQL binary COPY, SqlBulkCopy).</summary>
public interface IBulkLoader
{
    /// <summary>Opens a connection and a transaction for a load; nothing is visible to others before <see cref="IBulkLoadTransaction.CommitAsync"/>.</summary>
    Task<IBulkLoadTransaction> BeginAsync(CancellationToken cancellationToken);
}
