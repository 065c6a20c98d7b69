namespace UnionSync.Benchmarks;

/// <summary>One row of the result table.</summary>
internal sealed record Measurement(string Database, string Scenario, long Rows, TimeSpan Elapsed, double PeakRssMebibytes, TimeSpan? Raw, string? Note = null)
{
    public double RowsPerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double? RatioToRaw => Raw is { } raw ? Elapsed / raw : null;
}
