namespace UnionSync.Benchmarks;

/// <summary>One row of the sync table: a figure and its yardstick measured in the same run.</summary>
/// <param name="Scenario">What was timed.</param>
/// <param name="Databases">Parent → child, or the database a statement ran on.</param>
/// <param name="Rows">Rows the sync applied (or the statement changed); null where rows do not apply.</param>
/// <param name="Elapsed">The timed part; null for a size.</param>
/// <param name="PeakRssMebibytes">Peak RSS during the timed part of the process that ran it (the benchmark's, or a sync's own child process); null where not measured.</param>
/// <param name="Yardstick">What the figure is compared with.</param>
/// <param name="YardstickElapsed">The yardstick's time; null for a size or no yardstick.</param>
/// <param name="Ratio">Figure / yardstick (lower is better); null without a yardstick.</param>
/// <param name="Target">The target for this figure.</param>
/// <param name="Value">Shown instead of the time where the figure is not a time (a file size).</param>
/// <param name="StartRssMebibytes">RSS when the timed part started (after the reset): the peak less this is what the part itself added.</param>
internal sealed record SyncMeasurement(
    string Scenario,
    string Databases,
    long? Rows,
    TimeSpan? Elapsed,
    double? PeakRssMebibytes,
    string Yardstick,
    TimeSpan? YardstickElapsed,
    double? Ratio,
    string Target,
    string? Value = null,
    double? StartRssMebibytes = null)
{
    public double? RowsPerSecond => Rows is > 0 && Elapsed is { } elapsed ? Rows.Value / Math.Max(elapsed.TotalSeconds, 1e-9) : null;
}
