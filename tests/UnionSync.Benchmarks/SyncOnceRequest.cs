using UnionSync.Sync.Policies;

namespace UnionSync.Benchmarks;

/// <summary>What a <c>sync-once</c> child is asked to do: one timed sync between two databases, after warming up beside them.</summary>
/// <param name="WarmUpDirectory">Where the warm-up's throw-away SQLite files go.</param>
/// <param name="DatabasePrefix">Prefix of the throw-away PostgreSQL database of the warm-up (PostgreSQL parent only).</param>
internal sealed record SyncOnceRequest(
    BenchDatabase Parent,
    BenchDatabase Child,
    Guid? Scope,
    ConflictPolicy? Policy,
    string WarmUpDirectory,
    string DatabasePrefix);
