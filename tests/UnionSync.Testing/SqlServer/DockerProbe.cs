using System.Net.Sockets;

namespace UnionSync.Testing.SqlServer;

/// <summary>
/// Tells within a couple of seconds whether a Docker engine answers: a socket file or <c>DOCKER_HOST</c> must exist,
/// and the engine must answer <c>GET /_ping</c>. Never waits for a daemon that is not there.
/// </summary>
internal static class DockerProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    /// <summary>Null when an engine answered; otherwise why not, fit for a skip reason.</summary>
    public static async Task<string?> WhyUnavailableAsync(CancellationToken cancellationToken)
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            if (dockerHost.StartsWith("unix://", StringComparison.Ordinal))
            {
                return await PingUnixSocketAsync(dockerHost["unix://".Length..], cancellationToken).ConfigureAwait(false);
            }

            if (dockerHost.StartsWith("tcp://", StringComparison.Ordinal))
            {
                return await PingAsync(new HttpClientHandler(), new Uri("http://" + dockerHost["tcp://".Length..]), cancellationToken).ConfigureAwait(false);
            }

            // npipe:// and ssh:// are left to Testcontainers itself.
            return null;
        }

        foreach (var socket in CandidateSockets())
        {
            if (File.Exists(socket))
            {
                return await PingUnixSocketAsync(socket, cancellationToken).ConfigureAwait(false);
            }
        }

        return "no Docker engine: DOCKER_HOST is not set and no socket exists at " + string.Join(", ", CandidateSockets());
    }

    private static IEnumerable<string> CandidateSockets()
    {
        yield return "/var/run/docker.sock";
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDir)
        {
            yield return Path.Combine(runtimeDir, "docker.sock");
        }

        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "run", "docker.sock");
    }

    private static Task<string?> PingUnixSocketAsync(string path, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return PingAsync(handler, new Uri("http://localhost"), cancellationToken);
    }

    private static async Task<string?> PingAsync(HttpMessageHandler handler, Uri engine, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(handler) { Timeout = s_timeout };
        try
        {
            using var response = await client.GetAsync(new Uri(engine, "/_ping"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"the Docker engine at {engine} answered /_ping with {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or SocketException or IOException)
        {
            return $"the Docker engine at {engine} did not answer /_ping within {s_timeout.TotalSeconds:0} s ({exception.GetType().Name})";
        }
    }
}
