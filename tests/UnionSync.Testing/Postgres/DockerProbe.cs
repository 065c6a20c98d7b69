using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UnionSync.Testing.Postgres;

/// <summary>Asks the Docker engine's <c>/_ping</c> with a short timeout, so that a missing engine costs a second, not a hang.</summary>
internal static class DockerProbe
{
    public static async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        EndPoint? endPoint;
        if (string.IsNullOrWhiteSpace(host))
        {
            endPoint = File.Exists("/var/run/docker.sock") ? new UnixDomainSocketEndPoint("/var/run/docker.sock") : null;
        }
        else if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            endPoint = new UnixDomainSocketEndPoint(host["unix://".Length..]);
        }
        else if (host.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var uri))
        {
            endPoint = new DnsEndPoint(uri.Host, uri.Port);
        }
        else
        {
            endPoint = null;
        }

        if (endPoint is null)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            var protocol = endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
            using var socket = new Socket(endPoint.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetwork : endPoint.AddressFamily, SocketType.Stream, protocol);
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
