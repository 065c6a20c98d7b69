namespace UnionSync.Sync.Engine;

/// <summary>How one sync session runs.</summary>
public sealed record SyncOptions
{
    public const int DefaultBatchSize = 5_000;

    /// <summary>The organisation whose subtree the child holds; required on a child's first sync, checked on later ones.</summary>
    public Guid? Scope { get; init; }

    /// <summary>Rows per batch (one transaction at the receiver each); memory is bounded by it.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Reinitialise the child (docs/sync-engine.md §9): upload its unsent changes, then clear its scope locally and load it
    /// again from the parent, keeping its node id and scope. Needed when the parent has purged history the child never
    /// received (<see cref="Errors.ReinitialiseRequiredException"/>); allowed at any time.
    /// </summary>
    public bool Reinitialise { get; init; }
}
