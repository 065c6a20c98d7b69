namespace UnionSync.Sync.Engine;

/// <summary>The child's new node id, the parent's watermark of the loaded snapshot, and the rows loaded.</summary>
internal sealed record InitialLoadResult(Guid ChildNode, long Watermark, long Rows);
