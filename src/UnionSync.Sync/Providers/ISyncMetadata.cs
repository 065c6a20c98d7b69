using UnionSync.Sync.Changes;

namespace UnionSync.Sync.Providers;

/// <summary>Peers, checkpoints and the conflict log of a node (docs/sync-engine.md §2).</summary>
public interface ISyncMetadata
{
    Task<PeerRecord?> GetPeerAsync(Guid peerId, CancellationToken cancellationToken);

    /// <summary>This node's parent, if it has synced with one.</summary>
    Task<PeerRecord?> GetParentAsync(CancellationToken cancellationToken);

    Task SavePeerAsync(PeerRecord peer, CancellationToken cancellationToken);

    /// <summary>The conflict log, newest first.</summary>
    IAsyncEnumerable<ConflictRecord> ListConflictsAsync(CancellationToken cancellationToken);
}
