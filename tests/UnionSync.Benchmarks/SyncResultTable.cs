using System.Globalization;

namespace UnionSync.Benchmarks;

/// <summary>Prints the sync measurements as a Markdown table.</summary>
internal static class SyncResultTable
{
    /// <param name="rssHeading">The peak RSS column's heading: whose peak it is.</param>
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<SyncMeasurement> measurements, string rssHeading)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync($"| scenario | databases | rows | time (s) | rows/s | {rssHeading} | yardstick (same rows, this run) | yardstick (s) | ratio | target |");
        await output.WriteLineAsync("|---|---|---:|---:|---:|---:|---|---:|---:|---|");
        foreach (var m in measurements)
        {
            var rows = m.Rows is { } r ? r.ToString("N0", c) : "—";
            var time = m.Value ?? (m.Elapsed is { } e ? e.TotalSeconds.ToString("0.000", c) : "—");
            var rate = m.RowsPerSecond is { } rps ? rps.ToString("N0", c) : "—";
            var rss = m.PeakRssMebibytes is { } mib
                ? mib.ToString("0", c) + (m.StartRssMebibytes is { } start ? $" (start {start.ToString("0", c)})" : string.Empty)
                : "—";
            var yardstick = m.YardstickElapsed is { } y ? y.TotalSeconds.ToString("0.000", c) : "—";
            var ratio = m.Ratio is { } x ? x.ToString("0.00", c) + "×" : "—";
            await output.WriteLineAsync($"| {m.Scenario} | {m.Databases} | {rows} | {time} | {rate} | {rss} | {m.Yardstick} | {yardstick} | {ratio} | {m.Target} |");
        }
    }
}
