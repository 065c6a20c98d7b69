using System.Diagnostics;

namespace UnionSync.Cli.Tests;

/// <summary>The built <c>unionsync.dll</c> (copied beside the tests by the project reference) run as a real process.</summary>
internal sealed record CliRun(int ExitCode, string StandardOutput, string StandardError)
{
    public static async Task<CliRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "unionsync.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing; the test project must reference src/UnionSync.Cli");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRun(process.ExitCode, await output, await error);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
