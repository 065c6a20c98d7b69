using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace UnionSync.Hub.Tests;

/// <summary>
/// The built hub as an operator runs it: <c>dotnet UnionSync.Hub.dll --urls ...</c> in a working folder of its own, with
/// no UnionSync or ASP.NET Core setting inherited from the test run except those given.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private HubProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; private init; } = null!;

    public string StandardOutput => string.Join('\n', _stdout);

    public IReadOnlyList<string> StandardErrorLines => [.. _stderr];

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static HubProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HubAssemblyPath());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("UnionSync", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        return new HubProcess(process) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>Polls <c>/health</c> until it answers Healthy; fails if the process exits first or the time runs out.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The hub exited with {_process.ExitCode} before it was healthy.\n{Describe()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/health"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"The hub was not healthy within {timeout}.\n{Describe()}");
    }

    /// <summary>Asks the hub to stop as Ctrl+C or a service manager would (SIGTERM), and waits for it.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsWindows())
            {
                _process.Kill(entireProcessTree: true);
            }
            else
            {
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync(cancellationToken);
            }
        }

        return await WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        await _process.WaitForExitAsync(timeoutSource.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public string Describe() => $"--- stdout\n{StandardOutput}\n--- stderr\n{string.Join('\n', _stderr)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The hub built next to this test run: <c>src/UnionSync.Hub/bin/{Configuration}/{tfm}/UnionSync.Hub.dll</c>.</summary>
    private static string HubAssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var targetFramework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var folder = testOutput; folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "UnionSync.Hub", "bin", configuration, targetFramework, "UnionSync.Hub.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"UnionSync.Hub.dll ({configuration}/{targetFramework}) was not found above {testOutput.FullName}; build src/UnionSync.Hub.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
