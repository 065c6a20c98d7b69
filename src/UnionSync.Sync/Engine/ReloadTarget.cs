using System.Data.Common;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// A provisioned, cleared child as <see cref="InitialLoader"/> sees it while reinitialising (docs/sync-engine.md §9):
/// the first sync's load, unchanged, with two differences. Its bulk path lets the tracking triggers stand aside
/// instead of relying on their absence, and deprovisioning is skipped, so the node keeps its id (its own children know
/// it by it), its peers, its purge floor and its conflict log; provisioning again is idempotent and only confirms them.
/// Everything else is the child itself.
/// </summary>
internal sealed class ReloadTarget : ISyncProvider
{
    private readonly ISyncProvider _child;

    public ReloadTarget(ISyncProvider child)
    {
        _child = child;
        Tracking = new KeepProvisioned(child.Tracking);
        BulkLoader = new TriggersAside(child.Retention);
    }

    public string Name => _child.Name;

    public DbDataSource DataSource => _child.DataSource;

    public ISchemaMigrator Schema => _child.Schema;

    public IBulkLoader BulkLoader { get; }

    public IChangeTracker Tracking { get; }

    public IChangeReader Changes => _child.Changes;

    public IChangeApplier Applier => _child.Applier;

    public ISyncMetadata Metadata => _child.Metadata;

    public IRetention Retention => _child.Retention;

    public string Describe() => _child.Describe();

    /// <summary>The child is not ours to dispose.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class KeepProvisioned(IChangeTracker tracking) : IChangeTracker
    {
        public Task<bool> IsProvisionedAsync(CancellationToken cancellationToken) => tracking.IsProvisionedAsync(cancellationToken);

        public Task<Guid> ProvisionAsync(CancellationToken cancellationToken) => tracking.ProvisionAsync(cancellationToken);

        /// <summary>The load deprovisions an empty child so that its rows are not captured; here the triggers stand aside instead.</summary>
        public Task DeprovisionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Guid> GetNodeIdAsync(CancellationToken cancellationToken) => tracking.GetNodeIdAsync(cancellationToken);

        public Task SetBaseCaptureAsync(IReadOnlyCollection<string> tables, CancellationToken cancellationToken) =>
            tracking.SetBaseCaptureAsync(tables, cancellationToken);
    }

    private sealed class TriggersAside(IRetention retention) : IBulkLoader
    {
        public Task<IBulkLoadTransaction> BeginAsync(CancellationToken cancellationToken) => retention.BeginReloadAsync(cancellationToken);

        public Task<IBulkLoadTransaction> BeginCopyAsync(CancellationToken cancellationToken) => retention.BeginReloadAsync(cancellationToken);
    }
}
