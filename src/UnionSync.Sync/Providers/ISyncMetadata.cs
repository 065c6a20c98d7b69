using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;

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

    /// <summary>One entry of the conflict log, or null.</summary>
    Task<ConflictRecord?> GetConflictAsync(long id, CancellationToken cancellationToken);

    /// <summary>The conflict policies this node applies as a parent (tables with none recorded have the default).</summary>
    Task<PolicySet> GetPoliciesAsync(CancellationToken cancellationToken);

    /// <summary>Records a table's policy (replacing the one before).</summary>
    Task SetPolicyAsync(string table, ConflictPolicy policy, CancellationToken cancellationToken);

    /// <summary>Records a table's policy, and the fallback and column owner the change gives, in one transaction.</summary>
    Task SetPolicyAsync(PolicyChange change, CancellationToken cancellationToken);

    /// <summary>
    /// The added columns (<c>table.column</c>) whose values this node has backfilled at the child
    /// (<c>unionsync_peer_columns</c>, docs/sync-engine.md §10); empty for a child never backfilled.
    /// </summary>
    Task<IReadOnlySet<string>> GetFilledColumnsAsync(Guid child, CancellationToken cancellationToken);

    /// <summary>Records that the child has been backfilled with these added columns.</summary>
    Task AddFilledColumnsAsync(Guid child, IReadOnlyCollection<string> columns, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets, for every child, that these columns were backfilled: this node has just been backfilled with them from its
    /// own parent, so each child that has the columns is backfilled again at its next session.
    /// </summary>
    Task ForgetFilledColumnsAsync(IReadOnlyCollection<string> columns, CancellationToken cancellationToken);

    /// <summary>The version of this node's sync metadata schema (<c>unionsync_node.schema_version</c>).</summary>
    Task<int> GetMetadataVersionAsync(CancellationToken cancellationToken);
}
