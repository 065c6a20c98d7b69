namespace UnionSync.Benchmarks;

/// <summary>Runs one timed sync session: in this process (<see cref="InProcessSyncRunner"/>) or in a fresh child process (<see cref="ChildProcessSyncRunner"/>).</summary>
internal interface ISyncRunner
{
    /// <exception cref="SyncChildProcessException">the child process failed or printed no result.</exception>
    Task<TimedSync> SyncAsync(SyncRun run, CancellationToken cancellationToken);
}
