using System.Diagnostics;
using UnionSync.Sync.Engine;

namespace UnionSync.Benchmarks;

/// <summary>
/// One sync session in this process, timed, with peak memory reset just before it. The benchmark's <c>--in-process</c>
/// mode, its own warm-up, and the timed call of a <c>sync-once</c> child.
/// </summary>
internal sealed class InProcessSyncRunner : ISyncRunner
{
    private readonly SyncEngine _engine = new();

    public async Task<TimedSync> SyncAsync(SyncRun run, CancellationToken cancellationToken)
    {
        await using var parentProvider = run.Parent.Open();
        await using var childProvider = run.Child.Open();
        PeakMemory.Reset();
        var start = PeakMemory.CurrentMebibytes();
        var stopwatch = Stopwatch.StartNew();
        var summary = await _engine.SyncAsync(parentProvider, childProvider, new SyncOptions { Scope = run.Scope }, progress: null, cancellationToken);
        stopwatch.Stop();
        return new TimedSync(summary.RowsUp, summary.RowsDown, summary.Conflicts, stopwatch.Elapsed.TotalSeconds, start, PeakMemory.PeakMebibytes());
    }
}
