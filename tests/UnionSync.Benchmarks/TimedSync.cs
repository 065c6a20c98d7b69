using System.Text.Json.Serialization;

namespace UnionSync.Benchmarks;

/// <summary>
/// What one timed sync session measured. In child-process mode this is the one JSON line the <c>sync-once</c> child
/// prints on stdout.
/// </summary>
/// <param name="ElapsedSeconds">The <c>SyncEngine.SyncAsync</c> call alone.</param>
/// <param name="StartRssMebibytes">RSS of the process that ran the sync when the call started (after a collection and the peak's reset).</param>
/// <param name="PeakRssMebibytes">Peak RSS (VmHWM) of that process from the reset until the call returned.</param>
/// <param name="WarmUpSeconds">Child-process mode: the child's warm-up before the call (untimed otherwise); null in process.</param>
/// <param name="WarmUpPeakRssMebibytes">Child-process mode: the child's peak RSS from its start to the end of the warm-up; null in process.</param>
internal sealed record TimedSync(
    long RowsUp,
    long RowsDown,
    long Conflicts,
    double ElapsedSeconds,
    double StartRssMebibytes,
    double PeakRssMebibytes,
    double? WarmUpSeconds = null,
    double? WarmUpPeakRssMebibytes = null)
{
    [JsonIgnore]
    public TimeSpan Elapsed => TimeSpan.FromSeconds(ElapsedSeconds);
}
