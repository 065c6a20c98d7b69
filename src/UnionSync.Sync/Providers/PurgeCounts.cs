namespace UnionSync.Sync.Providers;

/// <summary>What one purge deleted at a node, and the purge floor it left.</summary>
public sealed record PurgeCounts(long Tombstones, long Moves, long Batches, long Sessions, long Marks, long Floor);
