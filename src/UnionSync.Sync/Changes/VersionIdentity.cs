namespace UnionSync.Sync.Changes;

/// <summary>
/// One version of one row, named across the federation: the node that wrote it and that node's logical counter at the
/// write (docs/sync-engine.md §1). Never a wall clock.
/// </summary>
public readonly record struct VersionIdentity(Guid Node, long Version)
{
    public override string ToString() => $"{Node:D}@{Version}";
}
