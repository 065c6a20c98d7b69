using System.Globalization;

namespace UnionSync.Benchmarks;

/// <summary>Peak resident set size of this process (Linux VmHWM), resettable between scenarios.</summary>
internal static class PeakMemory
{
    /// <summary>
    /// Resets the kernel's high-water mark so that the next reading covers only what follows. An aggressive collection
    /// first hands the managed heap's free memory back to the system, so that rows an earlier scenario held (the raw
    /// copies hold theirs in memory) are not counted against the next one.
    /// </summary>
    public static void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // Not Linux or not permitted: the reading then covers the whole run, which the table says.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Peak RSS in MiB since the last <see cref="Reset"/>; falls back to the process's peak working set.</summary>
    public static double PeakMebibytes() => ReadStatus("VmHWM:") ?? Environment.WorkingSet / 1024.0 / 1024.0;

    /// <summary>RSS in MiB now (after a <see cref="Reset"/>: what the process holds before the measured part starts).</summary>
    public static double CurrentMebibytes() => ReadStatus("VmRSS:") ?? Environment.WorkingSet / 1024.0 / 1024.0;

    private static double? ReadStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
