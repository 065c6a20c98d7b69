using System.Globalization;

namespace UnionSync.Benchmarks;

/// <summary>Peak resident set size of this process (Linux VmHWM), resettable between scenarios.</summary>
internal static class PeakMemory
{
    /// <summary>Resets the kernel's high-water mark so that the next reading covers only what follows.</summary>
    public static void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
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
    public static double PeakMebibytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return Environment.WorkingSet / 1024.0 / 1024.0;
    }
}
