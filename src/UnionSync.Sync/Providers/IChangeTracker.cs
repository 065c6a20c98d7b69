namespace UnionSync.Sync.Providers;

/// <summary>
/// Provisions change tracking (docs/sync-engine.md §2–3): metadata tables, this node's identity, triggers that capture
/// every write by any writer. Provisioning a database that already holds rows writes nothing per row.
/// </summary>
public interface IChangeTracker
{
    Task<bool> IsProvisionedAsync(CancellationToken cancellationToken);

    /// <summary>Creates what is missing (idempotent) and returns this node's id.</summary>
    Task<Guid> ProvisionAsync(CancellationToken cancellationToken);

    /// <summary>Removes every trace of tracking: triggers, functions, sequences and every <c>unionsync_</c> sync table.</summary>
    Task DeprovisionAsync(CancellationToken cancellationToken);

    /// <exception cref="Errors.SyncConfigurationException">the database is not provisioned.</exception>
    Task<Guid> GetNodeIdAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sets the tables whose base rows this node keeps (docs/sync-engine.md §11): those its parent merges by columns. A
    /// table no longer named stops keeping them and its base rows are dropped; a table named again keeps them from its
    /// next change on. Idempotent; the engine calls it at the child whenever a session opens.
    /// </summary>
    Task SetBaseCaptureAsync(IReadOnlyCollection<string> tables, CancellationToken cancellationToken);
}
