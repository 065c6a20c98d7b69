using System.Globalization;
using System.Runtime.InteropServices;

namespace UnionSync.Benchmarks;

/// <summary>What the figures were measured on.</summary>
internal sealed record MachineInfo(int Cores, double MemoryGiB, string Os, string Dotnet, string? CpuModel)
{
    public static MachineInfo Read()
    {
        double memory = 0;
        string? cpu = null;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    memory = long.Parse(line.AsSpan(9).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
                    break;
                }
            }

            cpu = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
        }

        return new MachineInfo(Environment.ProcessorCount, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, cpu);
    }
}
