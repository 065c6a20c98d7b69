using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace UnionSync.Benchmarks;

/// <summary>
/// Runs each timed sync in a fresh child process of this program (<see cref="SyncOnceCommand"/>), so that the peak RSS
/// measured is what one sync needs in a process of its own, not the floor this long benchmark process has built up.
/// The child runs without tiered compilation and warms up first (<see cref="SyncWarmUp"/>), then times the
/// <c>SyncEngine.SyncAsync</c> call alone.
/// </summary>
/// <param name="warmUpDirectory">Where the children's warm-up files go (the benchmark's work folder).</param>
/// <param name="databasePrefix">Prefix of the children's warm-up PostgreSQL databases.</param>
internal sealed class ChildProcessSyncRunner(string warmUpDirectory, string databasePrefix) : ISyncRunner
{
    private const string TieredCompilation = "DOTNET_TieredCompilation";

    public async Task<TimedSync> SyncAsync(SyncRun run, CancellationToken cancellationToken)
    {
        // The child opens the files itself: this process keeps no pooled connection to them meanwhile.
        SqliteConnection.ClearAllPools();
        var start = SelfStartInfo();
        foreach (var argument in SyncOnceCommand.Arguments(new SyncOnceRequest(run.Parent, run.Child, run.Scope, run.Policy, warmUpDirectory, databasePrefix)))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new SyncChildProcessException($"The sync scenario '{run.Scenario}' could not start its child process ({start.FileName}).");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new SyncChildProcessException(string.Create(CultureInfo.InvariantCulture,
                $"The sync scenario '{run.Scenario}' failed: its child process ({SyncOnceCommand.Name}, pid {process.Id}) exited with code {process.ExitCode}. " +
                $"Its stderr:{Environment.NewLine}{errors.TrimEnd()}{Environment.NewLine}(--in-process runs the syncs in the benchmark process instead.)"));
        }

        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        TimedSync? result;
        try
        {
            result = line is null ? null : JsonSerializer.Deserialize(line, BenchJsonContext.Default.TimedSync);
        }
        catch (JsonException ex)
        {
            throw new SyncChildProcessException($"The sync scenario '{run.Scenario}': its child process printed no result line but '{line}'.", ex);
        }

        if (result is null)
        {
            throw new SyncChildProcessException($"The sync scenario '{run.Scenario}': its child process exited 0 and printed no result. Its stderr:{Environment.NewLine}{errors.TrimEnd()}");
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  child process {process.Id}: warm-up {result.WarmUpSeconds:0.0} s (peak {result.WarmUpPeakRssMebibytes:0} MiB), sync {result.ElapsedSeconds:0.000} s (peak {result.PeakRssMebibytes:0} MiB)"));
        return result;
    }

    /// <summary>
    /// This program again: its apphost as it was started (<c>dotnet run</c>, or the executable), or the <c>dotnet</c>
    /// host with this assembly's dll (<c>dotnet UnionSync.Benchmarks.dll</c>).
    /// </summary>
    private static ProcessStartInfo SelfStartInfo()
    {
        var host = Environment.ProcessPath
            ?? throw new SyncChildProcessException("The path of this process's executable is unknown: a sync cannot run in a child process; use --in-process.");
        var start = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Without tiering, every method the warm-up reaches is compiled once, fully optimised, as a long-running process's
        // hot code is; tiered, a fresh process runs much of the timed sync in unoptimised code while the second core compiles.
        if (!start.Environment.ContainsKey(TieredCompilation))
        {
            start.Environment[TieredCompilation] = "0";
        }

        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(ChildProcessSyncRunner).Assembly.GetName().Name + ".dll"));
        }

        return start;
    }
}
