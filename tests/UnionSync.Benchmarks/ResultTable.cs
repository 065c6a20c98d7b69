using System.Globalization;

namespace UnionSync.Benchmarks;

/// <summary>Prints measurements as a Markdown table.</summary>
internal static class ResultTable
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<Measurement> measurements)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync("| database | scenario | rows | time (s) | rows/s | ratio to raw | peak RSS (MiB) |");
        await output.WriteLineAsync("|---|---|---:|---:|---:|---:|---:|");
        foreach (var m in measurements)
        {
            var ratio = m.RatioToRaw is { } r ? r.ToString("0.00", c) + "×" : "1.00× (raw)";
            var rss = m.Note is null ? m.PeakRssMebibytes.ToString("0", c) : $"{m.PeakRssMebibytes.ToString("0", c)} ({m.Note})";
            await output.WriteLineAsync(string.Create(c,
                $"| {m.Database} | {m.Scenario} | {m.Rows:N0} | {m.Elapsed.TotalSeconds:0.00} | {m.RowsPerSecond:N0} | {ratio} | {rss} |"));
        }
    }
}
