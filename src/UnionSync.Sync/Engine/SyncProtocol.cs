using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The versions a session checks before anything is exchanged (docs/sync-engine.md §4.1): the session protocol each side
/// last spoke, kept in <c>unionsync_peers.protocol_version</c>, and each database's sync metadata schema. A newer version
/// than this UnionSync knows is refused with both versions named; an older metadata schema is upgraded in place
/// (provisioning is idempotent and only adds), an older protocol record is rewritten by this session.
/// </summary>
public static class SyncProtocol
{
    /// <summary>1: issue 4. 2: origin versions are hybrid logical clocks; conflicts are decided by the parent's policies.
    /// 3: an upload of a table merged by columns carries each change's base row.</summary>
    public const int Version = 3;

    /// <exception cref="VersionMismatchException">the peer spoke a newer protocol.</exception>
    public static void Check(int peerVersion, string peer)
    {
        if (peerVersion > Version)
        {
            throw new VersionMismatchException(
                $"The {peer} last synced with sync protocol version {peerVersion}; this UnionSync speaks version {Version}. Upgrade UnionSync on this side first.");
        }
    }

    /// <summary>
    /// Makes a database ready to keep sync metadata (for commands such as <c>policy set</c> on a parent that has not synced
    /// yet): provisions it when it is not, otherwise upgrades an older metadata schema. Returns the node id.
    /// </summary>
    public static async Task<Guid> PrepareAsync(ISyncProvider database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!await database.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false))
        {
            return await database.Tracking.ProvisionAsync(cancellationToken).ConfigureAwait(false);
        }

        await EnsureMetadataAsync(database, "given", cancellationToken).ConfigureAwait(false);
        return await database.Tracking.GetNodeIdAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Upgrades an older metadata schema in place; refuses a newer one.</summary>
    /// <exception cref="VersionMismatchException">the database's sync metadata is newer than this UnionSync knows.</exception>
    public static async Task EnsureMetadataAsync(ISyncProvider database, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var version = await database.Metadata.GetMetadataVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version > SyncMetadataVersion.Current)
        {
            throw new VersionMismatchException(
                $"The {role} database's sync metadata is version {version}, written by a newer UnionSync; this UnionSync knows versions up to "
                + $"{SyncMetadataVersion.Current}. Upgrade UnionSync before syncing this database.");
        }

        if (version < SyncMetadataVersion.Current)
        {
            await database.Tracking.ProvisionAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
