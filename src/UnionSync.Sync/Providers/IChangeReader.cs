using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Providers;

/// <summary>Opens consistent read snapshots of a node's rows and changes.</summary>
public interface IChangeReader
{
    Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The synced tables as this database has them, from its catalog: the contract's columns and the nullable columns
    /// added to them since (docs/sync-engine.md §10), via <see cref="SyncSchema.FromCatalog"/>.
    /// </summary>
    /// <exception cref="Errors.SchemaMismatchException">a contract column is missing, or an added column cannot sync.</exception>
    Task<SyncSchema> DescribeAsync(CancellationToken cancellationToken);
}
