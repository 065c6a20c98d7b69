using UnionSync.Sync.Changes;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>A row's tracking row: local version, origin and base identities, the peer it came from, tombstone and its scope.</summary>
internal sealed record SqliteTrackingState(
    long Version, VersionIdentity? Origin, VersionIdentity? Base, Guid? SourcePeer, bool Deleted, Guid? ScopeOrganization);
