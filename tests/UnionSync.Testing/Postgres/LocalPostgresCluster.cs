using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace UnionSync.Testing.Postgres;

/// <summary>
/// A throw-away PostgreSQL server from the local binaries (the newest <c>/usr/lib/postgresql/*/bin</c>, or
/// <c>UNIONSYNC_PG_BIN</c>): a fresh cluster in a temp folder, trust authentication, no fsync, listening on a free
/// loopback port. As root it runs as the <c>postgres</c> user through <c>runuser</c> (PostgreSQL refuses root).
/// Disposing it stops the server by its own pid and deletes the folder; a watchdog process does the same if this
/// process dies without disposing it. Usable without xunit (the benchmarks use it).
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string BinEnvironmentVariable = "UNIONSYNC_PG_BIN";
    private const string ServiceUser = "postgres";

    private readonly string _root;
    private readonly string _dataDirectory;
    private readonly Process _server;
    private readonly Process? _watchdog;
    private readonly ProcessLog _log;
    private readonly EventHandler _onProcessExit;
    private int _disposed;

    private LocalPostgresCluster(string root, string dataDirectory, Process server, Process? watchdog, ProcessLog log, int port)
    {
        _root = root;
        _dataDirectory = dataDirectory;
        _server = server;
        _watchdog = watchdog;
        _log = log;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = ServiceUser,
            Database = "postgres",
        }.ConnectionString;
        _onProcessExit = (_, _) => StopServerNow();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>Connection string to the server's <c>postgres</c> database, as the superuser <c>postgres</c>.</summary>
    public string ConnectionString { get; }

    public int Port { get; }

    /// <summary>The newest local binaries folder, or null when there is none.</summary>
    public static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasBinaries(configured) ? configured : null;
        }

        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Select(d => (Directory: d, Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(d => d.Version >= 0 && HasBinaries(Path.Combine(d.Directory, "bin")))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"))
            .FirstOrDefault();
    }

    /// <exception cref="InvalidOperationException">there are no binaries, or the server did not start (the message holds its log).</exception>
    public static async Task<LocalPostgresCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            $"No PostgreSQL binaries (initdb, postgres) under /usr/lib/postgresql/*/bin; install postgresql or set {BinEnvironmentVariable}.");
        var asRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        var root = Path.Combine(Path.GetTempPath(), $"unionsync-pg-{Guid.NewGuid():N}"[..24]);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        try
        {
            if (asRoot)
            {
                await RunAsync("chown", [$"{ServiceUser}:{ServiceUser}", root], cancellationToken).ConfigureAwait(false);
            }

            await RunAsync(
                asRoot ? "runuser" : Path.Combine(bin, "initdb"),
                [.. AsServiceUser(asRoot, Path.Combine(bin, "initdb")), "-D", data, "-A", "trust", "-U", ServiceUser, "-E", "UTF8", "--no-locale", "--no-sync"],
                cancellationToken).ConfigureAwait(false);

            var port = FreeLoopbackPort();
            string[] serverArguments =
            [
                .. AsServiceUser(asRoot, Path.Combine(bin, "postgres")),
                "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", root,
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200",
            ];
            var log = new ProcessLog();
            var server = StartProcess(asRoot ? "runuser" : Path.Combine(bin, "postgres"), serverArguments, log);
            var watchdog = StartWatchdog(data, root);
            var cluster = new LocalPostgresCluster(root, data, server, watchdog, log, port);
            try
            {
                await cluster.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return cluster;
        }
        catch
        {
            TryDeleteDirectory(root);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        var pid = ReadPostmasterPid();
        if (pid is { } serverPid)
        {
            Signal(serverPid, "INT");
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await _server.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (pid is { } stuck)
                {
                    Signal(stuck, "KILL");
                }

                _server.Kill(entireProcessTree: true);
            }
        }

        if (_watchdog is not null)
        {
            try
            {
                _watchdog.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _watchdog.Dispose();
        }

        _server.Dispose();
        TryDeleteDirectory(_root);
    }

    private static IEnumerable<string> AsServiceUser(bool asRoot, string program) =>
        asRoot ? ["-u", ServiceUser, "--", program] : [];

    private static bool HasBinaries(string bin) =>
        File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres"));

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process StartProcess(string fileName, IEnumerable<string> arguments, ProcessLog? log)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        if (log is not null)
        {
            process.OutputDataReceived += (_, e) => log.Add(e.Data);
            process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        }

        process.Start();
        if (log is not null)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    private static async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var log = new ProcessLog();
        using var process = StartProcess(fileName, arguments, log);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {log}");
        }
    }

    /// <summary>A shell that outlives this process by a moment: when this process is gone, it stops the server and deletes the folder.</summary>
    private static Process? StartWatchdog(string data, string root)
    {
        const string Script =
            "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; " +
            "pid=$(head -n 1 \"$2/postmaster.pid\" 2>/dev/null) && kill -INT \"$pid\" 2>/dev/null; " +
            "sleep 5; rm -rf \"$3\"";
        try
        {
            return StartProcess("/bin/sh", ["-c", Script, "unionsync-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), data, root], log: null);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static void Signal(int pid, string signal)
    {
        try
        {
            using var kill = StartProcess("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], log: null);
            kill.WaitForExit(5000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill binary: the watchdog or the process tree kill is left.
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private int? ReadPostmasterPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(_dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void StopServerNow()
    {
        if (ReadPostmasterPid() is { } pid)
        {
            Signal(pid, "INT");
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"PostgreSQL exited with {_server.ExitCode} while starting: {_log}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=2");
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
            {
                last = ex;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"PostgreSQL did not accept connections within 60 s ({last?.Message}): {_log}");
    }
}
