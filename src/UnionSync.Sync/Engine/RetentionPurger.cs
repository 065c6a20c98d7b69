using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Purges a node's old history (docs/sync-engine.md §9, DESIGN §4.6): the tombstones and scope moves that every party
/// that may still need them has received, and old batch and session records. The API a scheduler calls; the CLI's
/// <c>unionsync purge</c> is a thin adapter over it.
/// </summary>
/// <remarks>
/// Tracking rows carry no time, so time maps to watermarks through the marks each session records at the parent. The
/// new floor is the lowest of: the best mark at least a window old (what is older than the window); what each
/// <em>active</em> child (synced within the window) has received; and what this node has sent its own parent (a delete
/// made or received here must travel up before its tombstone may go, however long the parent has been away). It
/// never goes down. A child away longer than the window does not hold it back; its next session is refused with
/// <see cref="ReinitialiseRequiredException"/>.
/// </remarks>
public sealed class RetentionPurger
{
    private readonly ILogger _logger;

    public RetentionPurger(ILogger<RetentionPurger>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <exception cref="SyncConfigurationException">the window is not positive, or the node is not provisioned for sync.</exception>
    public async Task<PurgeSummary> PurgeAsync(ISyncProvider node, RetentionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Window <= TimeSpan.Zero)
        {
            throw new SyncConfigurationException($"The retention window must be longer than zero; it is {options.Window}.");
        }

        if (!await node.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new SyncConfigurationException($"The database ({node.Describe()}) is not provisioned for sync, so it keeps no history to purge; sync it first.");
        }

        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.purge");
        var now = options.TimeProvider.GetUtcNow();
        var cutoff = now - options.Window;
        var retention = node.Retention;
        var previous = await retention.GetPurgeFloorAsync(cancellationToken).ConfigureAwait(false);
        var children = await retention.ListChildrenAsync(cancellationToken).ConfigureAwait(false);
        var active = children.Where(c => c.LastSyncAt >= cutoff).ToList();
        var parent = await node.Metadata.GetParentAsync(cancellationToken).ConfigureAwait(false);

        var floor = previous;
        if (await retention.FindMarkAsync(cutoff, cancellationToken).ConfigureAwait(false) is { } old)
        {
            var bounds = active.Select(c => c.Acknowledged).Append(old);
            if (parent is not null)
            {
                bounds = bounds.Append(parent.SentWatermark);
            }

            floor = Math.Max(previous, bounds.Min());
        }

        var counts = await retention.PurgeAsync(floor, cutoff, now, cancellationToken).ConfigureAwait(false);
        var summary = new PurgeSummary(
            cutoff, previous, counts.Floor, counts.Tombstones, counts.Moves, counts.Batches, counts.Sessions, active.Count, children.Count - active.Count);
        Log.Purged(_logger, node.Describe(), summary.Tombstones, summary.Moves, summary.Batches, previous, summary.Floor, summary.ChildrenAway);
        return summary;
    }
}
