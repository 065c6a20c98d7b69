namespace UnionSync.Benchmarks;

/// <summary>Runs one timed sync session (<see cref="InProcessSyncRunner"/>: in this process).</summary>
internal interface ISyncRunner
{
    Task<TimedSync> SyncAsync(SyncRun run, CancellationToken cancellationToken);
}
