namespace UnionSync.Sync.Changes;

/// <summary>
/// One version of one row, named across the federation: the node that wrote it and that node's logical counter at the
/// write (docs/sync-engine.md §1). Never a wall clock.
/// </summary>
public readonly record struct VersionIdentity(Guid Node, long Version)
{
    /// <summary>
    /// The initial version (a row never changed since its node was provisioned) as a tracking row carries it when the
    /// engine applies such a row at another node (moved-in rows, re-sends): origin node <see cref="Guid.Empty"/>, version 0.
    /// The engine treats it as equal to a null identity; a provider stores it like any other origin, so that the row is
    /// forwarded to the receiver's own children.
    /// </summary>
    public static VersionIdentity Initial { get; } = new(Guid.Empty, 0);

    public bool IsInitial => Node == Guid.Empty;

    public override string ToString() => $"{Node:D}@{Version}";
}
