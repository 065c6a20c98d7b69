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
}
