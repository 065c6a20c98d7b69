using Microsoft.Extensions.Logging;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Retention's part of opening a session (docs/sync-engine.md §9), once both sides are known. It refuses a child whose
/// checkpoint is below the parent's purge floor (the parent may have purged deletes and scope moves the child never
/// received; an incremental download would leave them behind for good), unless the session reinitialises the child.
/// And it records a mark at both sides, the time now with the watermark of a snapshot opened just before: what lets a
/// later purge tell the tombstones older than its window. Every session serves the child a download, so a parent that
/// serves children keeps gaining marks; the child's mark lets a node that serves none (a grassroots laptop) purge the
/// tombstones it has sent up. The check is an admission (<see cref="IRetention.AdmitAsync"/>): a purge running at
/// the same moment either counts the admitted child as active or has refused it, never purges under its download.
/// </summary>
internal sealed class RetentionGate
{
    private readonly ISyncProvider _parent;
    private readonly ISyncProvider _child;
    private readonly SyncOptions _options;
    private readonly ILogger _logger;

    public RetentionGate(ISyncProvider parent, ISyncProvider child, SyncOptions options, ILogger logger)
    {
        _parent = parent;
        _child = child;
        _options = options;
        _logger = logger;
    }

    /// <param name="childRecord">The child's record of the parent, whose received watermark is its checkpoint.</param>
    /// <param name="initialLoad">The child was loaded just now from a snapshot: it holds no older history to miss.</param>
    /// <exception cref="ReinitialiseRequiredException">the checkpoint is below the floor and the session does not reinitialise.</exception>
    public async Task PassAsync(Guid childNode, PeerRecord childRecord, bool initialLoad, CancellationToken cancellationToken)
    {
        if (!initialLoad)
        {
            var floor = await _parent.Retention.AdmitAsync(childNode, childRecord.ReceivedWatermark, _options.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (childRecord.ReceivedWatermark < floor)
            {
                Log.ReinitialiseRequired(_logger, childNode, childRecord.ReceivedWatermark, floor);
                if (!_options.Reinitialise)
                {
                    throw new ReinitialiseRequiredException(childNode, childRecord.ReceivedWatermark, floor);
                }
            }
        }

        await MarkAsync(_parent, cancellationToken).ConfigureAwait(false);
        await MarkAsync(_child, cancellationToken).ConfigureAwait(false);
    }

    private async Task MarkAsync(ISyncProvider node, CancellationToken cancellationToken)
    {
        long watermark;
        await using (var snapshot = await node.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false))
        {
            watermark = snapshot.Watermark;
        }

        await node.Retention.RecordMarkAsync(_options.TimeProvider.GetUtcNow(), watermark, cancellationToken).ConfigureAwait(false);
    }
}
