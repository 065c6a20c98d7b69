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
}
