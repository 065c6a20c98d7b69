using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace UnionSync.Sync.Engine;

/// <summary>The engine's OpenTelemetry sources, both named <c>UnionSync.Sync</c>: rows synced, batch latency, conflicts.</summary>
internal static class SyncTelemetry
{
    public const string Name = "UnionSync.Sync";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RowsSynced = Meter.CreateCounter<long>("unionsync.sync.rows", "{row}", "Rows applied by sync, by direction.");

    public static readonly Histogram<double> BatchLatency = Meter.CreateHistogram<double>("unionsync.sync.batch.duration", "ms", "Time to apply one batch.");

    public static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("unionsync.sync.conflicts", "{conflict}", "Conflicts detected and resolved.");

    public static void RecordBatch(string direction, int rows, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("direction", direction);
        RowsSynced.Add(rows, tag);
        BatchLatency.Record(elapsed.TotalMilliseconds, tag);
    }
}
