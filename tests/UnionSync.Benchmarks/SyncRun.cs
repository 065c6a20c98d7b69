using UnionSync.Sync.Policies;

namespace UnionSync.Benchmarks;

/// <summary>One timed sync a scenario asks for.</summary>
/// <param name="Scenario">What the sync measures, for progress and error messages.</param>
/// <param name="Scope">The child's scope on its first sync; null afterwards.</param>
/// <param name="Policy">The members table's conflict policy at the parent, when the scenario set one (a child process warms that policy's path up).</param>
internal sealed record SyncRun(string Scenario, BenchDatabase Parent, BenchDatabase Child, Guid? Scope, ConflictPolicy? Policy = null);
