namespace UnionSync.Sync.Providers;

/// <summary>A child as its parent records it.</summary>
/// <param name="Acknowledged">The parent's watermark of what the child has received (its last completed download).</param>
/// <param name="LastSyncAt">When the parent last saved a checkpoint of the child.</param>
public sealed record ChildCheckpoint(Guid ChildNode, long Acknowledged, DateTimeOffset LastSyncAt);
